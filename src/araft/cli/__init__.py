"""The `araft` command: each subcommand is a thin wrapper over a plain function.

`araft train ...` hands its arguments to Hydra (overrides, -m for sweeps); the other subcommands
use argparse and live in one module each under araft.cli.
"""
from __future__ import annotations

import argparse
import importlib
import logging
import sys

from araft.cli.redact import RedactingParser
from araft.errors import AraftError

# subcommand -> module under araft.cli that defines register(subparsers)
SUBCOMMANDS = ["data", "evaluate", "predict", "compare", "report", "push"]


def build_parser() -> argparse.ArgumentParser:
    parser = RedactingParser(prog="araft", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("train", help="train a model (Hydra overrides follow, e.g. experiment=...)")
    for name in SUBCOMMANDS:
        try:
            module = importlib.import_module(f"araft.cli.{name}")
        except ModuleNotFoundError as err:
            if err.name != f"araft.cli.{name}":
                raise
            continue  # subcommand not built yet
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if argv and argv[0] == "train":
        from araft.cli.train import run_hydra

        return run_hydra(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except AraftError as err:
        print(f"araft {args.command}: error: {err}", file=sys.stderr)
        return 2
    except OSError as err:  # disk full, no permission, ...: the path and the reason, one line
        from araft.diskio import describe

        print(f"araft {args.command}: error: {describe(err, 'file access', '?')}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
