"""Two CPU processes (torchrun, gloo) under one resolved config: one run directory, same loss."""
from __future__ import annotations

import json

import pytest

from conftest import train_cli


def test_two_processes_one_run_dir_same_loss(tmp_path, one_process_runs):
    single = one_process_runs
    double, proc = train_cli(tmp_path / "double", tmp_path / "cache", "trainer.batch_size=4",
                             "trainer.processes=2")
    assert len(single) == 1
    assert len(double) == 1, f"expected one run directory, got {double}"
    run = double[0]
    assert len(list(run.parent.parent.rglob("metrics.json"))) == 1
    assert (run / "resolved_config.json").is_file()
    assert json.loads((run / "run.json").read_text())["hardware"]["processes"] == 2
    one = json.loads((single[0] / "metrics.json").read_text())
    two = json.loads((run / "metrics.json").read_text())
    loss1 = [h["loss"] for h in one["log_history"] if "loss" in h]
    loss2 = [h["loss"] for h in two["log_history"] if "loss" in h]
    assert len(loss1) == len(loss2) == 2
    # dropout is off: the same global batch gives the same loss (not twice it)
    assert loss2 == pytest.approx(loss1, rel=1e-4, abs=1e-5)
    assert proc.stdout.count("run directory:") == 1
