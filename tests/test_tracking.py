"""Tracking backends: TensorBoard events by default, MLflow into a local sqlite store."""
from __future__ import annotations

import pytest

from araft.runner import run_training

SHORT = ("experiment=seed_overfit", "trainer.max_steps=2", "trainer.eval_strategy=no",
         "trainer.save_strategy=no", "trainer.logging_steps=1", "trainer.bootstrap=20")


def test_tensorboard_events_in_run_dir(compose_cfg, tmp_path):
    run = tmp_path / "run"
    run_training(compose_cfg(*SHORT, "tracking=tensorboard"), run)
    events = list((run / "tb").glob("events.out.tfevents.*"))
    assert events and events[0].stat().st_size > 0


def test_mlflow_sqlite_store_gets_one_run_with_the_loss(compose_cfg, tmp_path):
    mlflow = pytest.importorskip("mlflow")
    db = tmp_path / "mlflow.db"
    cfg = compose_cfg(*SHORT, "tracking=mlflow", f"tracking.uri=sqlite:///{db}")
    run_training(cfg, tmp_path / "run")
    client = mlflow.tracking.MlflowClient(tracking_uri=f"sqlite:///{db}")
    exp = client.get_experiment_by_name(cfg.experiment_name)
    runs = client.search_runs([exp.experiment_id])
    assert len(runs) == 1
    assert "loss" in runs[0].data.metrics
