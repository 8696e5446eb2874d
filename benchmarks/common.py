"""Timing, peak memory, subprocess sides and printing shared by the benchmarks.

Method (docs/benchmarks.md says why):
- Each *side* of a comparison runs in a fresh subprocess (``python -m benchmarks.<name> --side X``),
  so one side's peak memory, caches and warm-up never leak into the other's.
- A side times its own work with ``Meter``: wall clock (``perf_counter``), process CPU time
  (``process_time``, steadier than wall on a shared machine) and memory: RSS when the timed work
  starts and the process's peak RSS (``getrusage`` max RSS) when it ends. RSS, not tracemalloc:
  torch, tokenizers and Arrow allocate outside Python's allocator, and tracemalloc slows Python
  code several-fold, which would distort the timings it sits next to.
- Repeats launch the sides interleaved (A B, B A, ...); the best wall time per side is reported
  (the least-disturbed run on a noisy machine), with every run's time kept in the JSON.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable, Sequence

ROOT = Path(__file__).resolve().parents[1]
TINY_MODEL = ROOT / "models" / "arabert-mini-news"
ANER_TRAIN = ROOT / "data" / "anercorp" / "train.conll"
ANER_DEV = ROOT / "data" / "anercorp" / "dev.conll"
ENTITY_TYPES = ("LOC", "MISC", "ORG", "PERS")
RESULT_TAG = "@@BENCH-RESULT "
RATIO_TAG = "RATIO"

_ENV = {"HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false",
        "TRANSFORMERS_NO_ADVISORY_WARNINGS": "1", "TRANSFORMERS_VERBOSITY": "error",
        "HF_DATASETS_DISABLE_PROGRESS_BARS": "1", "HF_HUB_DISABLE_PROGRESS_BARS": "1",
        "PYTHONWARNINGS": "ignore"}
for _k, _v in _ENV.items():  # before transformers/datasets are imported by any benchmark
    os.environ.setdefault(_k, _v)


# -- measuring -------------------------------------------------------------------------------
def rss_mb() -> float:
    """Current resident set size of this process."""
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Meter:
    """``with Meter() as m: work()`` -> m.wall_s, m.cpu_s, m.rss_start_mb, m.peak_rss_mb."""

    def __enter__(self) -> "Meter":
        gc.collect()
        self.rss_start_mb = rss_mb()
        self._c0 = time.process_time()
        self._t0 = time.perf_counter()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.wall_s = time.perf_counter() - self._t0
        self.cpu_s = time.process_time() - self._c0
        self.peak_rss_mb = peak_rss_mb()

    def result(self, **extra: Any) -> dict[str, Any]:
        return {"wall_s": self.wall_s, "cpu_s": self.cpu_s, "rss_start_mb": self.rss_start_mb,
                "peak_rss_mb": self.peak_rss_mb, **extra}


def epoch_clock(t0: float, c0: float = 0.0):
    """A TrainerCallback whose ``events`` get, at each evaluation, the epoch, the step, the wall
    seconds since ``t0`` (perf_counter), the process CPU seconds since ``c0`` (process_time: steadier
    on a shared machine) and the eval metrics: when each run reached each dev score."""
    from transformers import TrainerCallback

    class EpochClock(TrainerCallback):
        def __init__(self) -> None:
            self.events: list[dict[str, Any]] = []

        def on_evaluate(self, args, state, control, metrics=None, **kwargs):
            self.events.append({"epoch": state.epoch, "step": state.global_step,
                                "t_s": time.perf_counter() - t0,
                                "cpu_s": time.process_time() - c0, **(metrics or {})})

    return EpochClock()


# -- sides in subprocesses -------------------------------------------------------------------
def emit(result: dict[str, Any]) -> None:
    """A side's result, on one tagged stdout line the parent parses."""
    print(RESULT_TAG + json.dumps(result), flush=True)


def spawn(module: str, side: str, argv: Sequence[str], timeout: float = 3600) -> dict[str, Any]:
    """Run one side in a fresh interpreter; returns what it emitted."""
    cmd = [sys.executable, "-m", module, "--side", side, *argv]
    proc = subprocess.run(cmd, cwd=ROOT, env={**os.environ, **_ENV}, capture_output=True,
                          text=True, timeout=timeout)
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(RESULT_TAG):
            if proc.returncode == 0:
                return json.loads(line[len(RESULT_TAG):])
            break
    tail = (proc.stdout[-2000:] + "\n" + proc.stderr[-4000:]).strip()
    raise RuntimeError(f"side {side!r} of {module} failed (exit {proc.returncode}):\n{tail}")


def measure_sides(module: str, sides: Sequence[str], argv: Sequence[str],
                  repeats: int) -> dict[str, dict[str, Any]]:
    """Each side ``repeats`` times, interleaved; per side the run with the best wall time, plus
    ``walls`` (every run) and ``peak_rss_mb`` as the highest peak seen over the runs."""
    runs: dict[str, list[dict[str, Any]]] = {s: [] for s in sides}
    order = list(sides)
    for _ in range(repeats):
        for side in order:
            runs[side].append(spawn(module, side, argv))
        order.reverse()  # A B, B A, ...: drift in machine load hits both sides alike
    out = {}
    for side, results in runs.items():
        best = dict(min(results, key=lambda r: r["wall_s"]))
        best["walls"] = [round(r["wall_s"], 3) for r in results]
        best["peak_rss_mb"] = max(r["peak_rss_mb"] for r in results)
        out[side] = best
    return out


# -- command line ----------------------------------------------------------------------------
def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--quick", action="store_true", help="CI size (the whole quick suite < 2 min)")
    p.add_argument("--repeats", type=int, default=None,
                   help="runs per side, best wall time kept (default 1 quick, 3 full)")
    p.add_argument("--json", type=Path, default=None, help="append the results to this JSON file")
    p.add_argument("--side", default=None, help=argparse.SUPPRESS)  # internal: run one side
    p.add_argument("--workdir", type=Path, default=None, help=argparse.SUPPRESS)
    return p


def repeats(args: argparse.Namespace) -> int:
    return args.repeats or (1 if args.quick else 3)


def run_main(args: argparse.Namespace, sides: dict[str, Callable[[argparse.Namespace], dict]],
             parent: Callable[[argparse.Namespace], dict]) -> int:
    """Dispatch: ``--side X`` runs one side and emits its result; otherwise the comparison."""
    if args.side is not None:
        if args.side not in sides:
            raise SystemExit(f"unknown side {args.side!r}; known: {', '.join(sides)}")
        emit(sides[args.side](args))
        return 0
    summary = parent(args)
    if args.json is not None:
        save_json(args.json, summary)
    return 0


def save_json(path: Path, summary: dict[str, Any]) -> None:
    """Append one benchmark's summary to a JSON list file (run_all collects them there)."""
    path = Path(path)
    old = json.loads(path.read_text()) if path.is_file() else []
    old.append(summary)
    path.write_text(json.dumps(old, indent=1, ensure_ascii=False))


# -- printing --------------------------------------------------------------------------------
def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def header(title: str, detail: str) -> None:
    print(f"\n== {title} ==")
    print(f"   {detail}")
    print(f"   machine: {os.cpu_count()} CPUs, load average {load_average()} at start")


def table(results: dict[str, dict[str, Any]], rate_key: str, rate_label: str) -> None:
    """One row per side: best wall, its CPU time, the rate, the memory."""
    print(f"   {'side':<14}{'wall s':>9}{'cpu s':>9}{rate_label:>14}{'peak RSS MB':>13}"
          f"{'RSS at start':>14}   all walls")
    for side, r in results.items():
        print(f"   {side:<14}{r['wall_s']:>9.2f}{r['cpu_s']:>9.2f}{r[rate_key]:>14.1f}"
              f"{r['peak_rss_mb']:>13.0f}{r['rss_start_mb']:>14.0f}   {r.get('walls', '')}")


def ratio_line(name: str, value: float, what: str, target: float, *, at_least: bool = True,
               unit: str = "x") -> bool:
    """The line the quick test looks for: ``RATIO <name>: ...``; returns whether the target holds."""
    met = value >= target if at_least else value <= target
    sign = ">=" if at_least else "<="
    print(f"{RATIO_TAG} {name}: {what} = {value:.2f}{unit} "
          f"(target {sign} {target:g}{unit}: {'met' if met else 'MISSED'})")
    return met
