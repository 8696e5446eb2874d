"""Entry point of one training process: `python -m araft.worker RUN_DIR` (under torchrun or
`accelerate launch`). Reads the run directory's resolved config; only rank 0 writes outputs."""
from __future__ import annotations

import logging
import os
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    from araft.errors import AraftError
    from araft.launch import read_resolved
    from araft.runlock import RunLock, owned_by_launcher
    from araft.runner import headline, run_training

    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python -m araft.worker RUN_DIR", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    run_root = Path(argv[0])
    is_main = int(os.environ.get("RANK", "0")) == 0
    lock = None
    try:
        cfg = read_resolved(run_root)
        if is_main and not owned_by_launcher(run_root):
            lock = RunLock(run_root).acquire()  # started by torchrun/accelerate directly
        metrics = run_training(cfg, run_root, is_main=is_main)
    except AraftError as err:
        logging.getLogger("araft.worker").error("%s", err)
        print(f"araft.worker: error: {err}", file=sys.stderr)
        return 2
    finally:
        if lock is not None:
            lock.release()
    if is_main:
        print(f"run directory: {run_root}")
        print(headline(metrics))
    return 0


if __name__ == "__main__":
    sys.exit(main())
