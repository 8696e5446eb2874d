"""One training run end to end: data -> the task's features -> Trainer -> saved model -> scored
splits -> metrics.json, run.json and the report.

Everything lands in one run directory (see araft.rundir). Only the main process writes files.
The task (araft.tasks) is chosen by the config; nothing here depends on which one it is.
"""
from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from araft.config import TrainConfig
from araft.corpus.jsonl import write_jsonl
from araft.errors import ConfigError
from araft.modelio import attach_settings, model_settings
from araft.rundir import RunDir, write_json
from araft.runinfo import RunInfo, git_commit
from araft.splits import load_splits
from araft.standin import with_standin
from araft.stepstats import step_stats
from araft.tracking import Tracking, start_tracking
from araft.checkpoints import last_complete, read_marker, whole_run_loss
from araft.diskio import disk_step
from araft.runguard import (check_base_model, read_resumes, read_step, save_final_model,
                            train_or_explain)
from araft.selection import dev_selection
from araft.tasks.registry import task_from_config
from araft.training import Finalized, set_seed

log = logging.getLogger(__name__)


def last_checkpoint(run: RunDir) -> str | None:
    """The newest checkpoint that is complete and readable (a kill mid-save leaves the previous
    one usable)."""
    found = last_complete(run.checkpoints)
    return None if found is None else str(found)


def evaluate_splits(cfg: TrainConfig, predictor, splits, run: RunDir) -> dict[str, Any]:
    from araft.evaluation import evaluate_task, with_gold

    results = {}
    run.predictions.mkdir(parents=True, exist_ok=True)
    for name, articles in splits.evaluation_sets().items():
        metrics, predicted = evaluate_task(predictor, articles, n_resamples=cfg.trainer.bootstrap,
                                           seed=cfg.seed)
        metrics["file"] = splits.files.get(name)
        results[name] = metrics
        write_jsonl(with_gold(predicted, articles), run.predictions / f"{name}.jsonl", surface=True)
    return results


def run_training(cfg: TrainConfig, run_root: Path, *, is_main: bool = True) -> dict[str, Any]:
    """Train and evaluate; returns metrics.json's content. The tracker run (main process only)
    is closed with the final scores, or marked failed when training or evaluation fails."""
    tracking = start_tracking(cfg, RunDir(Path(run_root))) if is_main else Tracking()
    metrics = None
    try:
        metrics = train_and_evaluate(cfg, run_root, is_main=is_main, callbacks=tracking.callbacks)
    finally:
        tracking.finish(metrics)
    return metrics


def train_and_evaluate(cfg: TrainConfig, run_root: Path, *, is_main: bool,
                       callbacks: list) -> dict[str, Any]:
    t0 = time.time()
    # the code that trains: read before, not after, the training (only the main process writes run.json)
    code = git_commit(cfg.paths.root) if is_main else None
    run = RunDir(Path(run_root))
    set_seed(cfg.seed)
    check_base_model(cfg)
    splits = load_splits(cfg.data)
    cfg = with_standin(cfg, splits.train)  # model.standin: the shape, offline, random weights
    task = task_from_config(cfg.task)
    if splits.extra_train and not task.reads_extra_train:
        raise ConfigError(f"data.extra_train is read by task=ner and task=joint; task={task.name} "
                          "trains on data.train only (merge the files)")
    select_on = dev_selection(task, splits.dev, splits.files.get("dev"), cfg.trainer.empty_dev)
    prepared = task.prepare(cfg, splits)
    if select_on and prepared.metric_name:
        prepared.metric_name = select_on
    t_data = time.time()
    resume_from = last_checkpoint(run) if cfg.resume else None
    if cfg.resume and resume_from is None:
        log.warning("resume=%s: no complete checkpoint found, starting from scratch", cfg.resume)
    # the loss sum before the resume point, read now: rotation may delete that checkpoint
    prior_loss = read_marker(resume_from).get("loss_sum") if resume_from else None
    stats = step_stats()
    trainer, output = train_or_explain(cfg, prepared, run, resume_from,
                                       [*callbacks, stats, *prepared.callbacks])
    t_train = time.time()
    if not is_main:
        return {}
    found = prepared.finalize(trainer) if prepared.finalize else Finalized()
    settings = model_settings(cfg, **found.settings)
    model = trainer.model
    attach_settings(model.config, settings)
    save_final_model(trainer, prepared.tokenizer, run, found.companions.values())
    predictor = task.predictor(model, prepared.tokenizer, settings,
                               batch_size=cfg.trainer.eval_batch_size, **found.companions)
    with disk_step("writing predictions", run.predictions):
        results = evaluate_splits(cfg, predictor, splits, run)
    t_eval = time.time()
    train_metrics = dict(output.metrics)
    if "train_loss" in train_metrics:
        train_metrics["train_loss"] = whole_run_loss(
            train_metrics["train_loss"], prior_loss, trainer.state.global_step,
            int(read_step(resume_from)))
    metrics = {
        "task": cfg.task.name,
        "experiment": cfg.experiment_name,
        "model": cfg.model.name_or_path,
        "splits": results,
        "best_checkpoint": trainer.state.best_model_checkpoint,
        "selected_on": trainer.args.metric_for_best_model,  # e.g. eval_tuned_f1; None: the last
        "train": train_metrics,
        "log_history": trainer.state.log_history,
    }
    if found.record:
        metrics["finalized"] = found.record
    durations = {"data": t_data - t0, "train": t_train - t_data, "evaluate": t_eval - t_train,
                 "total": t_eval - t0}
    info = RunInfo.collect(cfg, splits.files, durations, resume_from,
                           processes=trainer.args.world_size, git=code)
    info.resumes = read_resumes(run)
    info.steps = stats.summary()  # s/step, tokens/s, peak memory
    run.write_info(info)
    write_json(run.metrics_file, metrics)  # last: a run directory with metrics.json is finished
    write_run_report(run)
    log.info("run directory: %s", run.root)
    return metrics


def write_run_report(run: RunDir) -> None:
    try:
        from araft.reporting import write_report

        write_report(run.root)
    except Exception:  # metrics and predictions are saved: a report failure must not lose the run
        log.exception("writing the report failed; `araft report %s` retries it", run.root)
