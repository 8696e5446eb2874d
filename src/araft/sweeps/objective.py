"""The number a sweep optimises: one split's headline metric from a run's metrics.json."""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any


def dev_objective(metrics: dict[str, Any] | None, *, split: str = "dev",
                  metric: str = "micro_f1") -> float | None:
    """Dev micro F1 (entity-level for NER, label-level for claims; for a task with several layers,
    e.g. joint, the mean over the layers the split annotates, as its model selection uses); None
    when the run has no such split or the value is not a finite number, so a sweeper records a
    failed trial."""
    from araft.tasks.registry import LEGACY_TASK, task_named

    if not metrics:
        return None
    scores = (metrics.get("splits") or {}).get(split, {})
    if not isinstance(scores, dict):
        return None
    values = []
    for _, layer_scores in task_named(metrics.get("task") or LEGACY_TASK).layer_metrics(scores):
        if layer_scores.get("support") == 0:  # no gold in the split: its F1 says nothing
            continue
        value = layer_scores.get(metric)
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
            return None
        values.append(float(value))
    return sum(values) / len(values) if values else None


def run_objective(run_root: Path, **kwargs: Any) -> float | None:
    """dev_objective of a finished run directory (e.g. after torchrun workers wrote it)."""
    path = Path(run_root) / "metrics.json"
    if not path.is_file():
        return None
    return dev_objective(json.loads(path.read_text(encoding="utf-8")), **kwargs)
