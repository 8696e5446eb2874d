"""`araft compare RUN_A RUN_B [RUN_C ...] [--out DIR] [--unit article] [--by-seed]`: metrics per run,
differences to the first run with paired bootstrap intervals and p-values, and the config keys that
differ. A sweep directory (Hydra multirun) counts as its runs. Without --out the markdown goes to
stdout. --unit article resamples whole articles: labels cluster by article, so sentences understate
the uncertainty. --by-seed groups runs that differ only in their seed into one system and compares
systems by their mean over seeds, with intervals over the data and the seeds."""
from __future__ import annotations

import argparse


def _run(args: argparse.Namespace) -> int:
    from araft.reporting.compare_doc import write_comparison
    from araft.reporting.markdown import render_markdown

    boot = {"n_resamples": args.bootstrap, "seed": args.seed, "unit": args.unit}
    if args.by_seed:
        from araft.reporting.seed_compare import compare_seeds
        from araft.reporting.seed_compare_doc import seed_comparison_document as build

        cmp = compare_seeds(args.runs, **boot)
    else:
        from araft.reporting.compare import compare_runs
        from araft.reporting.compare_doc import comparison_document as build

        cmp = compare_runs(args.runs, **boot)
    if args.out:
        md, html = write_comparison(cmp, args.out, build)
        print(f"{md}\n{html}")
    else:
        print(render_markdown(build(cmp, None)), end="")
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
    p.add_argument("--by-seed", action="store_true",
                   help="runs whose configs differ only in their seed are one system: compare "
                        "systems by their mean over seeds, with intervals over the data and the "
                        "seeds")
    p.set_defaults(func=_run)
