"""Experiment trackers: Trainer callbacks for the training curves, plus the run's final scores.

Only the main process calls ``start_tracking`` (see araft.run), so a run with several processes
opens one tracker run, not one per process.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Callable

from araft.config import TrainConfig, to_dict
from araft.errors import ConfigError
from araft.rundir import RunDir

log = logging.getLogger(__name__)


@dataclass
class Tracking:
    """The callbacks the Trainer gets, and what to do with the final metrics once they exist."""
    callbacks: list = field(default_factory=list)
    _finish: Callable[[dict[str, Any] | None], None] | None = None

    def finish(self, metrics: dict[str, Any] | None) -> None:
        """Log the final metrics (None: the run failed) and close the tracker run; idempotent."""
        if self._finish is not None:
            finish, self._finish = self._finish, None
            finish(metrics)


def start_tracking(cfg: TrainConfig, run: RunDir) -> Tracking:
    backend = cfg.tracking.backend
    if backend == "none":
        return Tracking()
    if backend == "tensorboard":
        from torch.utils.tensorboard import SummaryWriter
        from transformers.integrations import TensorBoardCallback

        return Tracking([TensorBoardCallback(tb_writer=SummaryWriter(log_dir=str(run.tb)))])
    if backend == "mlflow":
        try:
            import mlflow
        except ImportError as err:
            raise ConfigError("tracking=mlflow needs mlflow: pip install mlflow") from err
        from transformers.integrations import MLflowCallback

        mlflow.set_tracking_uri(cfg.tracking.uri)
        mlflow.set_experiment(cfg.experiment_name)
        return Tracking([MLflowCallback()])
    if backend == "wandb":
        return start_wandb(cfg, run)
    raise ConfigError(f"unknown tracking backend {backend!r}")


def start_wandb(cfg: TrainConfig, run: RunDir) -> Tracking:
    """Open the W&B run here rather than in transformers' WandbCallback: then it carries araft's
    resolved config (not only TrainingArguments), writes inside the run directory, and stays open
    after training for the scores of the evaluated splits. The callback sees the open run and only
    adds the Trainer's arguments and the per-step logs to it."""
    try:
        import wandb
    except ImportError as err:
        raise ConfigError("tracking=wandb needs wandb: pip install wandb") from err
    from transformers.integrations import WandbCallback

    run.root.mkdir(parents=True, exist_ok=True)
    wb_run = wandb.init(
        project=cfg.tracking.project or cfg.experiment_name,
        name=run.root.name,
        dir=str(run.root),            # -> <run dir>/wandb/<online|offline>-run-*/
        mode=cfg.tracking.mode,       # None: WANDB_MODE, else wandb's default (online)
        # Its own key: the callback merges the model config in, whose "araft" key holds the
        # settings saved with the model.
        config={"araft_config": to_dict(cfg)},
        # A sweep runs its jobs in one process: each job gets its own W&B run.
        reinit="finish_previous",
    )

    def finish(metrics: dict[str, Any] | None) -> None:
        if metrics is not None:
            wb_run.summary.update(final_scores(metrics))
        wb_run.finish(exit_code=0 if metrics is not None else 1)

    return Tracking([WandbCallback()], finish)


def final_scores(metrics: dict[str, Any]) -> dict[str, float]:
    """metrics.json's numeric scores per split as flat keys (``final/dev/micro_f1``), which
    trackers show as columns; intervals and per-label tables stay in metrics.json."""
    out: dict[str, float] = {}
    for split, scores in (metrics.get("splits") or {}).items():
        for key, value in (scores or {}).items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                out[f"final/{split}/{key}"] = value
    return out
