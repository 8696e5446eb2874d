"""The steps of a run that must fail loudly and leave nothing half-done: the base model checked
before data preparation, checkpoint writes whose failure names the checkpoint (and removes it),
and model/ published whole or not at all."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Iterable

from araft.checkpoints import checkpoint_dirs, is_complete, remove_partial
from araft.config import TrainConfig
from araft.diskio import (DiskError, describe, disk_step, fresh_dir, is_disk_failure, publish_dir,
                          staging_dir)
from araft.rundir import RunDir
from araft.training import run_trainer


def read_step(checkpoint: str | None) -> int:
    return int(checkpoint.rsplit("-", 1)[-1]) if checkpoint else 0


def read_resumes(run: RunDir) -> list:
    """What each `resume=` of this run changed and from which step (written by araft.resume)."""
    from araft.resume import read_history

    return read_history(run.root)


def check_base_model(cfg: TrainConfig) -> None:
    """A local base model must be whole before hours of data preparation are spent on it."""
    if Path(cfg.model.name_or_path).is_dir():
        from araft.modelcheck import check_model_dir

        check_model_dir(cfg.model.name_or_path, settings=False, weights=not cfg.model.random_init)


def train_or_explain(cfg: TrainConfig, prepared, run: RunDir, resume_from, callbacks):
    """run_trainer, with a failed checkpoint write turned into one line naming the checkpoint
    folder, and the half-written checkpoint removed (only marked ones are ever used)."""
    try:
        return run_trainer(cfg, prepared, run.root, resume_from=resume_from, callbacks=callbacks)
    except Exception as err:
        if not is_disk_failure(err):
            raise
        if not raised_in(err, "_save_checkpoint"):
            raise DiskError(describe(err, "training", run.root)) from None
        partial = [p for p in checkpoint_dirs(run.checkpoints) if not is_complete(p)]
        remove_partial(run.checkpoints)
        where = partial[-1] if partial else run.checkpoints
        raise DiskError(describe(err, "writing a checkpoint", where)) from None


def raised_in(err: BaseException, function: str) -> bool:
    """Whether ``function`` is on the traceback of ``err`` (which step of training failed)."""
    tb = err.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_name == function:
            return True
        tb = tb.tb_next
    return False


def save_final_model(trainer, tokenizer, run: RunDir, companions: Iterable = ()) -> None:
    """model/ appears whole or not at all: written beside it, then renamed into place.
    ``companions``: what the model needs beside its weights, each with save(folder)."""
    tmp = staging_dir(run.model)
    try:
        with disk_step("writing the model", run.model):
            fresh_dir(tmp)
            trainer.save_model(str(tmp))
            tokenizer.save_pretrained(str(tmp))
            for part in companions:
                part.save(tmp)
            publish_dir(tmp, run.model)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
