"""A user's own `accelerate launch` config drives araft's worker: two CPU processes, one run
directory, the loss of one process with the same global batch."""
from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SUBPROCESS_ENV, train_cli


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _accelerate_config(path: Path) -> Path:
    """A multi-GPU config as users write it. accelerate starts its processes with torchrun; with no
    GPU here they train on the CPU over gloo. (MULTI_CPU would need mpirun for a second process.)"""
    path.write_text(
        "compute_environment: LOCAL_MACHINE\n"
        "distributed_type: MULTI_GPU\n"
        "num_processes: 2\n"
        "num_machines: 1\n"
        "machine_rank: 0\n"
        "main_process_ip: 127.0.0.1\n"
        f"main_process_port: {_free_port()}\n"
        "mixed_precision: 'no'\n"
        "use_cpu: false\n", encoding="utf-8")
    return path


def test_accelerate_launch_with_a_config_file(tmp_path, one_process_runs):
    single = one_process_runs
    out = tmp_path / "acc"
    train_cli(out, tmp_path / "cache", "trainer.batch_size=4", "prepare_only=true")
    [run] = [p.parent for p in out.rglob("resolved_config.json")]

    launcher = Path(sys.executable).with_name("accelerate")
    proc = subprocess.run(
        [str(launcher), "launch", "--config_file", str(_accelerate_config(tmp_path / "acc.yaml")),
         "-m", "araft.worker", str(run)],
        cwd=ROOT, env=SUBPROCESS_ENV, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]

    assert [p.parent for p in out.rglob("run.json")] == [run]  # one run directory
    assert len(list(out.rglob("metrics.json"))) == 1
    one = json.loads((single[0] / "metrics.json").read_text())
    two = json.loads((run / "metrics.json").read_text())
    assert json.loads((run / "run.json").read_text())["hardware"]["processes"] == 2
    loss1 = [h["loss"] for h in one["log_history"] if "loss" in h]
    loss2 = [h["loss"] for h in two["log_history"] if "loss" in h]
    assert len(loss1) == len(loss2) == 2
    assert loss2 == pytest.approx(loss1, rel=1e-4, abs=1e-5)
