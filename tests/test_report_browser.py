"""The HTML report in a real headless browser (Debian's chromium), driven over the DevTools
protocol on a pipe: Arabic lays out right to left, every figure loads, the console stays clean.

Skips when chromium is absent (CI installs it with `apt-get install -y chromium`).
"""
from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from test_report import weak_ner_run

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore"),
              pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")]

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class DevTools:
    """The Chrome DevTools protocol over --remote-debugging-pipe: JSON messages ended by NUL,
    commands on the browser's fd 3, answers and events on its fd 4."""

    def __init__(self, profile: Path):
        self.cmd_r, self.cmd_w = os.pipe()
        self.out_r, self.out_w = os.pipe()
        # Move the pipe ends to 3 and 4 through high numbers, so no end is overwritten whatever
        # numbers os.pipe() handed out.
        script = f'exec 100<&{self.cmd_r} 101>&{self.out_w}; exec "$@" 3<&100 4>&101 100<&- 101>&-'
        self.proc = subprocess.Popen(
            ["bash", "-c", script, "chromium", CHROMIUM, *FLAGS, f"--user-data-dir={profile}",
             "--remote-debugging-pipe", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(self.cmd_r, self.out_w))
        os.close(self.cmd_r)
        os.close(self.out_w)
        self.buf, self.last_id, self.events = b"", 0, []

    def _read(self, deadline: float) -> dict:
        while b"\0" not in self.buf:
            left = deadline - time.time()
            if left <= 0 or not select.select([self.out_r], [], [], left)[0]:
                raise TimeoutError("chromium did not answer in time")
            chunk = os.read(self.out_r, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self.buf += chunk
        raw, self.buf = self.buf.split(b"\0", 1)
        return json.loads(raw)

    def send(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float = 60) -> dict:
        self.last_id += 1
        msg = {"id": self.last_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.cmd_w, json.dumps(msg).encode() + b"\0")
        deadline = time.time() + timeout
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self.last_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, timeout: float = 60) -> dict:
        deadline = time.time() + timeout
        while True:
            for k, event in enumerate(self.events):
                if event.get("method") == method:
                    return self.events.pop(k)
            self.events.append(self._read(deadline))

    def evaluate(self, session: str, expression: str):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True}, session)
        assert "exceptionDetails" not in result, result
        return result["result"]["value"]

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=10)
        except (OSError, RuntimeError, TimeoutError):
            pass
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.cmd_w)
        os.close(self.out_r)


def console_errors(events: list[dict]) -> list:
    bad = []
    for e in events:
        p = e.get("params", {})
        if e.get("method") == "Runtime.exceptionThrown":
            bad.append(p)
        elif e.get("method") == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            bad.append(p)
        elif e.get("method") == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
            bad.append(p["entry"])
    return bad


# Layout facts read back from the rendered page. For right-to-left text the first character of a
# sentence is drawn to the right of its last one.
PROBE = """(async () => {
  await Promise.all([...document.images].map(i => i.decode().catch(() => null)));
  const sentences = [...document.querySelectorAll('.example .sentence')];
  const edge = (el, last) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const nodes = []; while (walker.nextNode()) if (walker.currentNode.data.trim()) nodes.push(walker.currentNode);
    const node = last ? nodes[nodes.length - 1] : nodes[0];
    const text = node.data.replace(/\\s+$/, '');
    const r = document.createRange();
    const at = last ? text.length - 1 : node.data.search(/\\S/);
    r.setStart(node, at); r.setEnd(node, at + 1);
    return r.getBoundingClientRect();
  };
  return {
    lang: document.documentElement.lang, dir: document.documentElement.dir,
    images: [...document.images].map(i => [i.complete, i.naturalWidth, i.naturalHeight]),
    sentences: sentences.map(el => ({dir: getComputedStyle(el).direction,
                                     firstRight: edge(el, false).right, lastLeft: edge(el, true).left,
                                     firstLeft: edge(el, false).left})),
    bdi: [...document.querySelectorAll('td bdi, dd bdi')].map(el => getComputedStyle(el).direction),
    marks: document.querySelectorAll('.sentence mark.gold').length + ' ' +
           document.querySelectorAll('.sentence mark.pred').length,
    external: [...document.querySelectorAll('[src],[href]')].map(e => e.getAttribute('src') || e.getAttribute('href'))
              .filter(u => !u.startsWith('data:') && !u.startsWith('#')),
  };
})()"""


@pytest.fixture(scope="module")
def weak(tmp_path_factory) -> Path:
    return weak_ner_run(tmp_path_factory)


def test_report_renders_right_to_left_with_all_images(weak, tmp_path):
    browser = DevTools(tmp_path / "profile")
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Runtime", "Log", "Page"):
            browser.send(f"{domain}.enable", session=session)
        browser.send("Emulation.setDeviceMetricsOverride",
                     {"width": 1200, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session)
        browser.send("Page.navigate", {"url": (weak / "report.html").as_uri()}, session)
        browser.wait_for("Page.loadEventFired")
        page = browser.evaluate(session, PROBE)
        box = browser.evaluate(session, "(() => { const r = document.querySelector('#error-analysis')"
                                        ".getBoundingClientRect(); return [r.x, r.y + scrollY, r.width, r.height]; })()")
        shot = browser.send("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": box[1], "width": 1200, "height": min(box[3], 1600), "scale": 1}}, session)
        (tmp_path / "error_analysis.png").write_bytes(base64.b64decode(shot["data"]))
        errors = console_errors(browser.events)
    finally:
        browser.close()

    assert (page["lang"], page["dir"]) == ("ar", "ltr")
    assert len(page["images"]) == 4
    assert all(done and w > 0 and h > 0 for done, w, h in page["images"]), page["images"]
    assert page["sentences"], "the weak run has errors to show"
    for s in page["sentences"]:
        assert s["dir"] == "rtl"
        assert s["firstRight"] > s["lastLeft"] and s["firstLeft"] > s["lastLeft"], s
    assert page["bdi"] and set(page["bdi"]) == {"rtl"}
    gold, pred = map(int, page["marks"].split())
    assert gold > 0 and pred > 0
    assert page["external"] == []
    assert errors == []
    png = (tmp_path / "error_analysis.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
