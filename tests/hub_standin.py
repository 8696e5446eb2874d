"""A local stand-in for the parts of the Hugging Face Hub API that huggingface_hub 2.4 calls for
``create_repo`` + ``create_branch`` + ``upload_folder`` (+ ``create_pr``), served on 127.0.0.1.

Read from the installed huggingface_hub (hf_api.py, _commit_api.py, _upload_pipeline.py):
  POST /api/repos/create                          create_repo (409 when it exists, 403 elsewhere)
  GET  /api/models/{ns}/{name}[/revision/{rev}]   repo_info, called by create_repo after a 403
  POST /api/validate-yaml                         README.md metadata check before uploading
  POST /api/models/{ns}/{name}/preupload/{rev}    upload mode per file: always "regular" here,
                                                  so contents come inline (base64) in the commit
  POST /api/models/{ns}/{name}/commit/{rev}       NDJSON: header line, then one line per file
  POST /api/models/{ns}/{name}/branch/{branch}    create_branch
  POST /api/models/{ns}/{name}/discussions        create_pull_request -> {"num"}
  GET  /api/models/{ns}/{name}/discussions/{num}  the pull request's details (refs/pr/{num})
  GET  /api/whoami-v2                             whoami
Anything else answers 404 and is recorded in ``unhandled``. Every request must carry the
expected bearer token (401 otherwise). Files land in ``repos[repo_id].branches[ref][path]``.
"""
from __future__ import annotations

import base64
import hashlib
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

HOST = "127.0.0.1"  # the only address the stand-in ever binds


@dataclass
class Repo:
    repo_id: str
    private: bool = False
    branches: dict[str, dict[str, bytes]] = field(default_factory=lambda: {"main": {}})
    prs: list[int] = field(default_factory=list)


class HubStandin:
    def __init__(self, token: str, *, user: str = "araft-user", foreign: tuple[str, ...] = ()):
        self.token = token
        self.user = user
        self.foreign = set(foreign)  # namespaces owned by someone else: read-only for us
        self.repos: dict[str, Repo] = {}
        self.requests: list[tuple[str, str]] = []
        self.unhandled: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ------------------------------------------------------------------------
    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://{HOST}:{self._server.server_address[1]}"

    def __enter__(self) -> "HubStandin":
        standin = self

        class Handler(_Handler):
            hub = standin

        self._server = ThreadingHTTPServer((HOST, 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        assert self._server is not None and self._thread is not None
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def add_foreign_repo(self, repo_id: str) -> None:
        """A public repository that exists under another owner."""
        self.foreign.add(repo_id.split("/")[0])
        self.repos[repo_id] = Repo(repo_id)

    def files(self, repo_id: str, ref: str = "main") -> dict[str, bytes]:
        return self.repos[repo_id].branches[ref]

    def can_write(self, repo_id: str) -> bool:
        return repo_id.split("/")[0] not in self.foreign


class _Handler(BaseHTTPRequestHandler):
    hub: HubStandin
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # quiet: tests read hub.requests instead
        pass

    # -- plumbing -------------------------------------------------------------------------
    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            out = b""
            while True:
                size = int(self.rfile.readline().strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return out
                out += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _send(self, status: int, obj, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, message: str, code: str | None = None) -> None:
        self._send(status, {"error": message}, {"X-Error-Code": code} if code else None)

    def _authorised(self) -> bool:
        if self.headers.get("Authorization") != f"Bearer {self.hub.token}":
            self._error(401, "Invalid credentials in Authorization header")
            return False
        return True

    def do_GET(self) -> None:
        self._route("GET")

    def do_POST(self) -> None:
        self._route("POST")

    def _route(self, method: str) -> None:
        parts = urlsplit(self.path)
        path, query = unquote(parts.path), parse_qs(parts.query)
        body = self._body()
        with self.hub.lock:
            self.hub.requests.append((method, path))
        if not self._authorised():
            return
        if method == "GET" and path == "/api/whoami-v2":
            return self._send(200, {"type": "user", "name": self.hub.user, "orgs": []})
        if method == "POST" and path == "/api/repos/create":
            return self._create(json.loads(body or b"{}"))
        if method == "POST" and path == "/api/validate-yaml":
            return self._send(200, {"errors": [], "warnings": []})
        segs = path.split("/")
        if len(segs) >= 5 and segs[:3] == ["", "api", "models"]:
            repo_id, rest = f"{segs[3]}/{segs[4]}", segs[5:]
            return self._repo(method, repo_id, rest, body, query)
        self.hub.unhandled.append((method, path))
        self._error(404, f"stand-in: no route for {method} {path}")

    # -- endpoints ------------------------------------------------------------------------
    def _create(self, payload: dict) -> None:
        ns = payload.get("organization") or self.hub.user
        repo_id = f"{ns}/{payload['name']}"
        with self.hub.lock:
            if not self.hub.can_write(repo_id):
                return self._error(403, f'You don\'t have the rights to create a model under the '
                                        f'namespace "{ns}"')
            if repo_id in self.hub.repos:
                return self._send(409, {"error": "You already created this model repo",
                                        "url": f"{self.hub.url}/{repo_id}"})
            self.hub.repos[repo_id] = Repo(repo_id, payload.get("visibility") == "private")
        self._send(200, {"url": f"{self.hub.url}/{repo_id}", "name": repo_id})

    def _repo(self, method: str, repo_id: str, rest: list[str], body: bytes, query) -> None:
        repo = self.hub.repos.get(repo_id)
        if repo is None:
            return self._error(404, "Repository not found", "RepoNotFound")
        op = rest[0] if rest else ""
        if method == "GET" and op in ("", "revision"):
            return self._send(200, {"id": repo_id, "private": repo.private, "sha": "0" * 40})
        if method == "GET" and op == "discussions" and len(rest) == 2:
            return self._send(200, self._pr_details(repo, int(rest[1])))
        if method != "POST":
            self.hub.unhandled.append((method, "/".join(rest)))
            return self._error(404, "stand-in: unknown repository route")
        if not self.hub.can_write(repo_id):
            return self._error(403, f"You don't have write access to {repo_id}")
        ref = "/".join(rest[1:])  # revision may contain slashes once unquoted (refs/pr/1)
        if op == "preupload":
            files = json.loads(body)["files"]
            return self._send(200, {"files": [{"path": f["path"], "uploadMode": "regular",
                                               "shouldIgnore": False, "oid": None} for f in files]})
        if op == "commit":
            return self._commit(repo, ref, body, "create_pr" in query)
        if op == "branch":
            with self.hub.lock:
                if ref in repo.branches:
                    return self._error(409, f"Branch {ref} already exists")
                repo.branches[ref] = dict(repo.branches["main"])
            return self._send(200, {})
        if op == "discussions":
            with self.hub.lock:
                num = len(repo.prs) + 1
                repo.prs.append(num)
                repo.branches[f"refs/pr/{num}"] = dict(repo.branches["main"])
            return self._send(200, {"num": num, "url": f"{self.hub.url}/{repo_id}/discussions/{num}"})
        self.hub.unhandled.append((method, "/".join(rest)))
        self._error(404, "stand-in: unknown repository route")

    def _commit(self, repo: Repo, ref: str, body: bytes, create_pr: bool) -> None:
        lines = [json.loads(line) for line in body.decode().splitlines() if line.strip()]
        if not lines or lines[0].get("key") != "header":
            return self._error(400, "commit payload must start with a header line")
        if create_pr:
            with self.hub.lock:
                num = len(repo.prs) + 1
                repo.prs.append(num)
                ref = f"refs/pr/{num}"
                repo.branches[ref] = dict(repo.branches["main"])
        if ref not in repo.branches:
            return self._error(404, f"Invalid rev id: {ref}", "RevisionNotFound")
        staged: dict[str, bytes] = {}
        for item in lines[1:]:
            value = item.get("value") or {}
            if item.get("key") == "file" and value.get("encoding") == "base64":
                staged[value["path"]] = base64.b64decode(value["content"])
            elif item.get("key") == "deletedFile":
                staged.pop(value["path"], None)
            else:  # lfsFile and friends: the stand-in only ever asks for inline content
                return self._error(400, f"stand-in: unsupported commit line {item.get('key')!r}")
        with self.hub.lock:
            repo.branches[ref].update(staged)
        oid = hashlib.sha1(body).hexdigest()
        pr = ref if ref.startswith("refs/pr/") else None
        self._send(200, {"commitUrl": f"{self.hub.url}/{repo.repo_id}/commit/{oid}",
                         "commitOid": oid,
                         "pullRequestUrl": (f"{self.hub.url}/{repo.repo_id}/discussions/"
                                            f"{pr.rsplit('/', 1)[1]}") if pr else None})

    def _pr_details(self, repo: Repo, num: int) -> dict:
        return {"num": num, "title": "Upload", "author": {"name": self.hub.user},
                "createdAt": "2026-01-01T00:00:00.000Z", "status": "open",
                "repo": {"name": repo.repo_id, "type": "model"}, "isPullRequest": True,
                "events": [], "changes": {"base": "refs/heads/main"}, "filesWithConflicts": [],
                "diff": ""}
