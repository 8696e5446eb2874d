"""Checkpoints araft can trust: marked complete only once whole, rotated only after the new one is
marked, and carrying the running training-loss sum so a resumed run reports the whole run's loss.

The Trainer deletes old checkpoints (save_total_limit) inside its save, before any callback runs:
with a limit of 1, a kill between that deletion and the new checkpoint's marker left no complete
checkpoint, and `resume=` started over. araft therefore turns the Trainer's rotation off
(training_arguments passes save_total_limit=None) and rotates here, after the marker.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

MARKER = "araft_complete.json"
PREFIX = "checkpoint-"


def step_of(folder: Path) -> int:
    return int(folder.name[len(PREFIX):])


def checkpoint_dirs(root: Path) -> list[Path]:
    """checkpoint-N folders under ``root``, oldest step first."""
    if not root.is_dir():
        return []
    return sorted((p for p in root.glob(f"{PREFIX}*") if p.is_dir() and p.name[len(PREFIX):].isdigit()),
                  key=step_of)


def is_complete(folder: Path) -> bool:
    return (folder / MARKER).is_file()


def read_marker(folder: str | Path) -> dict[str, Any]:
    try:
        return json.loads((Path(folder) / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_marker(folder: str | Path, payload: dict[str, Any]) -> None:
    """The marker goes in last and atomically: its presence means everything else is on disk."""
    tmp = os.path.join(folder, f".{MARKER}.tmp")
    with open(tmp, "w") as fh:
        json.dump(payload, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, os.path.join(folder, MARKER))


def rotate(root: Path, limit: int | None, best: str | None) -> None:
    """Keep the ``limit`` newest complete checkpoints and the best one; remove older complete ones
    and unmarked leftovers older than the newest complete one (a checkpoint being written is
    always the newest, so it is never touched)."""
    folders = checkpoint_dirs(root)
    complete = [p for p in folders if is_complete(p)]
    if not complete:
        return
    keep = {p.name for p in (complete[-limit:] if limit and limit > 0 else complete)}
    if best:
        keep.add(Path(best).name)
    newest = step_of(complete[-1])
    for folder in folders:
        if folder.name in keep:
            continue
        if is_complete(folder) or step_of(folder) < newest:
            shutil.rmtree(folder, ignore_errors=True)


def remove_partial(root: Path) -> None:
    """After a failed save: remove unmarked checkpoints, so no half-written one looks usable."""
    for folder in checkpoint_dirs(root):
        if not is_complete(folder):
            shutil.rmtree(folder, ignore_errors=True)


def last_complete(root: Path) -> Path | None:
    """The newest marked checkpoint whose weights are readable (a damaged one is skipped with a
    warning, so resume continues from the one before)."""
    from araft.modelcheck import weights_problem

    for folder in reversed([p for p in checkpoint_dirs(root) if is_complete(p)]):
        problem = weights_problem(folder)
        if problem is None:
            return folder
        log.warning("%s: %s; resuming from an earlier checkpoint", folder, problem)
    return None


def marker_callback(limit: int | None):
    """The callback that marks, then rotates. ``prior_loss``: the training-loss sum of the steps
    before the checkpoint this run resumed from; set ``callback.trainer`` once the Trainer exists."""
    from transformers import TrainerCallback

    class CheckpointMarker(TrainerCallback):
        trainer: Any = None
        prior_loss: float = 0.0

        def loss_sum(self) -> float | None:
            # The Trainer's own running sums (transformers 5 internals, pinned): the logged part
            # plus what accumulated since the last log.
            t = self.trainer
            if t is None or not hasattr(t, "_total_loss_scalar") or not hasattr(t, "_tr_loss"):
                return None
            return self.prior_loss + t._total_loss_scalar + float(t._tr_loss.item())

        def on_save(self, args, state, control, **kwargs):
            if not state.is_world_process_zero:
                return
            folder = Path(args.output_dir) / f"{PREFIX}{state.global_step}"
            if folder.is_dir():
                write_marker(folder, {"global_step": state.global_step, "loss_sum": self.loss_sum()})
                rotate(Path(args.output_dir), limit, state.best_model_checkpoint)

    return CheckpointMarker()


def whole_run_loss(trainer_loss: float | None, prior_loss: float | None, global_step: int,
                   initial_step: int) -> float | None:
    """train_loss over every step of the run. The Trainer's figure averages only the steps of
    this call, so after a resume it is not the uninterrupted run's; ``prior_loss`` is the loss sum
    of the steps before the resume, read from the checkpoint's marker before training (rotation
    may delete that checkpoint later)."""
    if trainer_loss is None or prior_loss is None or global_step <= 0:
        return trainer_loss
    return (prior_loss + trainer_loss * (global_step - initial_step)) / global_step
