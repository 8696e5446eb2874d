"""Several processes under one resolved config: torchrun starts workers on one run directory.

The parent (the Hydra app) has already resolved the config and created the run directory; it
writes ``resolved_config.json`` there and every worker reads it, so no worker composes its own
config, makes its own output directory or starts its own tracker run.

A worker is ``python -m araft.distributed RUN_DIR`` (``araft.worker`` is the same entry point under
its former name), under torchrun or ``accelerate launch``; only rank 0 writes outputs.
"""
from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
from pathlib import Path

from araft.config import TrainConfig, from_dict, to_dict
from araft.errors import AraftError
from araft.rundir import write_json

RESOLVED = "resolved_config.json"


def write_resolved(cfg: TrainConfig, run_root: Path) -> Path:
    path = Path(run_root) / RESOLVED
    write_json(path, to_dict(cfg))
    return path


def read_resolved(run_root: Path) -> TrainConfig:
    import json

    path = Path(run_root) / RESOLVED
    if not path.is_file():
        raise AraftError(f"{run_root}: no {RESOLVED}; create it with `araft train ... prepare_only=true`")
    return from_dict(json.loads(path.read_text(encoding="utf-8")))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def worker_command(run_root: Path, processes: int) -> list[str]:
    """torchrun on this machine: gloo on CPU, NCCL on GPUs (the Trainer picks the backend)."""
    return [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", str(processes),
            "--master_addr", "127.0.0.1", "--master_port", str(free_port()),
            "-m", "araft.distributed", str(run_root)]


def launch_local(cfg: TrainConfig, run_root: Path) -> int:
    write_resolved(cfg, run_root)
    from araft.runlock import OWNER_ENV

    # the caller holds the run's lock; its workers must not try to take it
    env = {**os.environ, "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1"),
           OWNER_ENV: str(Path(run_root).resolve())}
    return subprocess.call(worker_command(run_root, cfg.trainer.processes), env=env)


def main(argv: list[str] | None = None) -> int:
    """One training process: read the run directory's resolved config and train (rank 0 also
    evaluates and writes). A worker started by torchrun/accelerate directly takes the run's lock."""
    from araft.evaluation import headline
    from araft.run import run_training
    from araft.runlock import RunLock, owned_by_launcher

    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python -m araft.distributed RUN_DIR", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    run_root = Path(argv[0])
    is_main = int(os.environ.get("RANK", "0")) == 0
    lock = None
    try:
        cfg = read_resolved(run_root)
        if is_main and not owned_by_launcher(run_root):
            lock = RunLock(run_root).acquire()
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
