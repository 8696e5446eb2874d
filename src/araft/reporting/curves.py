"""Learning curves from the Trainer's log history (metrics.json["log_history"])."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

# Logged with every evaluation but not a quality measure.
_NOT_METRICS = {"eval_runtime", "eval_samples_per_second", "eval_steps_per_second", "epoch", "step"}


@dataclass
class Curves:
    train_loss: list[tuple[int, float]] = field(default_factory=list)   # (step, loss)
    evals: dict[str, list[tuple[int, float]]] = field(default_factory=dict)  # eval_x -> points
    epoch_at: dict[int, float] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.train_loss and not self.evals

    def eval_metrics(self) -> list[str]:
        """Eval quality keys, micro F1 (eval_f1) first, eval_loss last."""
        keys = sorted(self.evals, key=lambda k: (k == "eval_loss", k != "eval_f1", k))
        return keys


def learning_curves(log_history: Sequence[dict[str, Any]] | None) -> Curves:
    out = Curves()
    for entry in log_history or ():
        step = entry.get("step")
        if not isinstance(step, (int, float)):
            continue
        step = int(step)
        if "epoch" in entry:
            out.epoch_at[step] = float(entry["epoch"])
        if isinstance(entry.get("loss"), (int, float)):  # per logging step; the summary is train_loss
            out.train_loss.append((step, float(entry["loss"])))
        for key, value in entry.items():
            if key.startswith("eval_") and key not in _NOT_METRICS and isinstance(value, (int, float)):
                out.evals.setdefault(key, []).append((step, float(value)))
    return out


def eval_rows(curves: Curves) -> tuple[list[str], list[list[Any]]]:
    """One row per evaluation step: step, epoch, the last training loss so far, eval metrics."""
    keys = curves.eval_metrics()
    steps = sorted({s for pts in curves.evals.values() for s, _ in pts})
    by_key = {k: dict(pts) for k, pts in curves.evals.items()}
    rows = []
    for step in steps:
        before = [loss for s, loss in curves.train_loss if s <= step]
        rows.append([step, curves.epoch_at.get(step), before[-1] if before else None]
                    + [by_key[k].get(step) for k in keys])
    return ["step", "epoch", "train loss"] + [k[len("eval_"):] for k in keys], rows
