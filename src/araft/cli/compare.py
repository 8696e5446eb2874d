"""`araft compare RUN_A RUN_B [RUN_C ...] [--out DIR] [--unit article]`: metrics per run, differences
to the first run with paired bootstrap intervals and p-values, and the config keys that differ. A
sweep directory (Hydra multirun) counts as its runs. Without --out the markdown goes to stdout.
--unit article resamples whole articles: labels cluster by article, so sentences understate the
uncertainty."""
from __future__ import annotations

import argparse


def _run(args: argparse.Namespace) -> int:
    from araft.reporting.compare import compare_runs
    from araft.reporting.compare_doc import comparison_document, write_comparison
    from araft.reporting.markdown import render_markdown

    cmp = compare_runs(args.runs, n_resamples=args.bootstrap, seed=args.seed, unit=args.unit)
    if args.out:
        md, html = write_comparison(cmp, args.out)
        print(f"{md}\n{html}")
    else:
        print(render_markdown(comparison_document(cmp)), end="")
    return 0


def register(sub) -> None:
    p = sub.add_parser("compare", help="put runs side by side, with paired bootstrap deltas")
    p.add_argument("runs", nargs="+", metavar="RUN",
                   help="run directories (the first is the baseline) or sweep directories")
    p.add_argument("--out", default=None, help="directory for compare.md and compare.html")
    p.add_argument("--bootstrap", type=int, default=1000, help="paired bootstrap resamples")
    p.add_argument("--seed", type=int, default=0, help="bootstrap seed")
    p.add_argument("--unit", choices=("sentence", "article"), default="sentence",
                   help="what the bootstrap resamples: sentences, or whole articles (labels "
                        "cluster by article; the honest interval)")
    p.set_defaults(func=_run)
