"""Tracking backends: TensorBoard events by default, MLflow into a local sqlite store."""
from __future__ import annotations

import pytest

from araft.run import run_training

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


def test_wandb_offline_run_gets_config_and_final_scores_once(compose_cfg, tmp_path, monkeypatch):
    wandb = pytest.importorskip("wandb")
    from wandb_offline import run_contents

    for var, sub in (("WANDB_CONFIG_DIR", "config"), ("WANDB_CACHE_DIR", "cache"),
                     ("WANDB_DATA_DIR", "data")):  # nothing written outside tmp_path
        monkeypatch.setenv(var, str(tmp_path / "wandb_home" / sub))
    monkeypatch.setenv("WANDB_MODE", "offline")
    monkeypatch.setenv("WANDB_SILENT", "true")
    run = tmp_path / "run"
    cfg = compose_cfg(*SHORT, "tracking=wandb")
    metrics = run_training(cfg, run)
    # run.finish() only tells the W&B service the run is done: the service closes the run's file
    # later (at the latest when the process exits). teardown() waits for it, so the exit record
    # is on disk before it is read (CI read the file without it once).
    wandb.teardown()

    logs = list((run / "wandb").glob("offline-run-*/run-*.wandb"))
    assert len(logs) == 1, logs  # one W&B run for one araft run
    wb = run_contents(logs[0])
    assert len(wb["runs"]) == 1 and wb["exit_code"] == 0
    config = wb["config"]["araft_config"]  # the resolved config, as in run.json
    assert config["experiment_name"] == cfg.experiment_name
    assert config["trainer"]["max_steps"] == 2 and config["tracking"]["backend"] == "wandb"
    summary = wb["summary"]
    assert metrics["splits"], "no split was scored"
    for split, scores in metrics["splits"].items():
        assert summary[f"final/{split}/micro_f1"] == pytest.approx(scores["micro_f1"])
        assert summary[f"final/{split}/n_sentences"] == scores["n_sentences"]
    # the Trainer's per-step logs went to the same run
    assert summary["train/global_step"] == 2 and wb["history_rows"] >= 2


def test_wandb_tracks_nothing_outside_the_main_process(compose_cfg, tmp_path, monkeypatch):
    """A worker of rank > 0 trains without opening a W&B run."""
    pytest.importorskip("wandb")
    monkeypatch.setenv("WANDB_MODE", "offline")
    run = tmp_path / "run"
    assert run_training(compose_cfg(*SHORT, "tracking=wandb"), run, is_main=False) == {}
    assert not (run / "wandb").exists()
