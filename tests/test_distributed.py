"""Two CPU processes (torchrun, gloo) under one resolved config: one run directory, same loss."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT

COMMON = ["experiment=seed_overfit", "model.dropout=0.0", "trainer.max_steps=2", "trainer.lr=1e-4",
          "trainer.eval_strategy=no", "trainer.save_strategy=no", "trainer.shuffle=false",
          "trainer.logging_steps=1", "trainer.bootstrap=20", "data.extra_eval={}"]


def _train(tmp_path, name, *overrides):
    out = tmp_path / name
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "OMP_NUM_THREADS": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "araft.cli", "train", *COMMON, *overrides,
         f"paths.output_root={out}", f"paths.cache_dir={tmp_path / 'cache'}"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    runs = [p.parent for p in out.rglob("run.json")]
    return runs, proc


def test_two_processes_one_run_dir_same_loss(tmp_path):
    single, _ = _train(tmp_path, "single", "trainer.batch_size=8")
    double, proc = _train(tmp_path, "double", "trainer.batch_size=4", "trainer.processes=2")
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
