"""Run every benchmark in turn and print their ratio lines together at the end.

    python -m benchmarks.run_all [--quick] [--repeats N] [--run RUN_DIR] [--json results.json]
        [--only data_path,training,...]

``--run`` is a trained NER run directory: its model is used for the inference benchmarks and its
metrics.json for the quality baseline (otherwise: a random NER head, and a training run here).
"""
from __future__ import annotations

import argparse
import contextlib
import io
import os
import platform
import sys
import time
from pathlib import Path

from benchmarks import common, data_path, inference, joint_predict, overhead, quality, training

BENCHMARKS = {"data_path": data_path, "training": training, "inference": inference,
              "overhead": overhead, "joint_predict": joint_predict, "quality": quality}


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(int(x.split()[1]) for x in Path("/proc/meminfo").read_text().splitlines()
                      if x.startswith("MemTotal"))
        mem = f"{mem_kb / 2**20:.1f} GiB"
    except (OSError, StopIteration):
        mem = "?"
    import torch

    return (f"{os.cpu_count()} CPUs ({cpu}), {mem} RAM, Python {platform.python_version()}, "
            f"torch {torch.__version__} ({torch.get_num_threads()} threads)")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true")
    p.add_argument("--repeats", type=int, default=None)
    p.add_argument("--run", type=Path, default=None, help="a trained NER run directory")
    p.add_argument("--json", type=Path, default=None, help="append every summary to this file")
    p.add_argument("--only", default=",".join(BENCHMARKS), help="comma-separated benchmark names")
    args = p.parse_args(argv)
    names = [n.strip() for n in args.only.split(",") if n.strip()]
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        p.error(f"unknown benchmark(s) {unknown}; known: {', '.join(BENCHMARKS)}")
    print(f"araft benchmarks ({'quick' if args.quick else 'full'}): {machine()}")
    ratios, failed, t0 = [], [], time.perf_counter()
    for name in names:
        sub = ["--quick"] if args.quick else []
        if args.repeats:
            sub += ["--repeats", str(args.repeats)]
        if args.json:
            sub += ["--json", str(args.json)]
        if args.run is not None and name in ("inference", "overhead"):
            sub += ["--model", str(args.run / "model")]
        if args.run is not None and name == "quality":
            sub += ["--run", str(args.run)]
        buf = io.StringIO()
        t = time.perf_counter()
        try:
            with contextlib.redirect_stdout(Tee(buf, sys.stdout)):
                BENCHMARKS[name].main(sub)
        except Exception as err:  # one failure must not hide the other figures
            failed.append(name)
            print(f"!! {name} failed: {err}", file=sys.stderr)
        ratios += [ln for ln in buf.getvalue().splitlines() if ln.startswith(common.RATIO_TAG)]
        print(f"   ({name}: {time.perf_counter() - t:.0f} s)")
    print(f"\n== summary ({time.perf_counter() - t0:.0f} s) ==")
    for line in ratios:
        print(line)
    for name in failed:
        print(f"FAILED {name}")
    return 1 if failed else 0


class Tee(io.TextIOBase):
    """Write to several streams (the benchmark output is shown and kept for the summary)."""

    def __init__(self, *streams) -> None:
        self.streams = streams

    def write(self, text: str) -> int:
        for s in self.streams:
            s.write(text)
        return len(text)

    def flush(self) -> None:
        for s in self.streams:
            s.flush()


if __name__ == "__main__":
    sys.exit(main())
