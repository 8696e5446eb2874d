"""`araft report RUN [RUN ...] [--top N]`: (re)write a run's report.md, report.html and plots/
from its directory alone (metrics.json, run.json, predictions/), without retraining."""
from __future__ import annotations

import argparse


def _run(args: argparse.Namespace) -> int:
    from araft.reporting import write_report

    for run in args.runs:
        paths = write_report(run, top=args.top)
        print(f"{paths.markdown}\n{paths.html}")
    return 0


def register(sub) -> None:
    p = sub.add_parser("report", help="write a run's report (report.md, report.html, plots/)")
    p.add_argument("runs", nargs="+", metavar="RUN", help="run directory (from train or evaluate --out)")
    p.add_argument("--top", type=int, default=10,
                   help="false positives and false negatives shown per split (default 10)")
    p.set_defaults(func=_run)
