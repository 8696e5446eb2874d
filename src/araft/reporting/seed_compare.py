"""`araft compare --by-seed`: runs whose configs differ only in ``seed`` are one system; each system
is scored by its mean over seeds, and every system after the first is compared with the first by
the difference of means, with an interval over both the evaluation data and the seeds
(metrics.seed_bootstrap). The runs' data is checked as by plain compare (araft.reporting.compare).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from araft.errors import AraftError
from araft.metrics.bootstrap import scores_from_counts
from araft.metrics.seed_bootstrap import seed_group_deltas
from araft.reporting.collect import RunData
from araft.reporting.compare import (LETTERS, UNITS, config_diff, counted_splits, load_runs,
                                     skipped_splits, split_digest, trained_config)


def seed_groups(runs: Sequence[RunData]) -> list[list[int]]:
    """Run indices per system, systems in order of their first run; a system is the runs whose
    trained config is the same but for ``seed``. Refused: a run without a config (nothing tells
    which system it is) and two runs of one system with the same seed (the same run twice)."""
    keys: dict[str, list[int]] = {}
    for i, run in enumerate(runs):
        config = trained_config(run)
        if not config:
            raise AraftError(f"{run.root}: run.json holds no config, so compare --by-seed cannot "
                             "tell which runs differ only in their seed")
        config.pop("seed", None)
        keys.setdefault(json.dumps(config, sort_keys=True, default=str), []).append(i)
    groups = list(keys.values())
    for group in groups:
        seen: dict[Any, Path] = {}
        for i in group:
            s = runs[i].info.config.seed
            if s in seen:
                raise AraftError(f"{seen[s]} and {runs[i].root} are the same system with the same "
                                 f"seed ({s}): one of them is a copy, or the config differs only "
                                 "in paths")
            seen[s] = runs[i].root
    return groups


@dataclass
class SeedSplit:
    split: str
    title: str
    n_sentences: int
    n_units: int                            # resampled units: sentences or articles
    classes: list[str]
    what: str                               # "type" / "label"
    scores: list[dict[str, Any]]            # scores_from_counts per run, runs in input order
    deltas: list[dict[str, Any] | None]     # per system: mean minus the first system's mean
    digest: tuple[str | None, str | None]


@dataclass
class SeedComparison:
    runs: list[RunData]
    groups: list[list[int]]                 # run indices per system
    labels: list[str]                       # A, B, ... one per system
    task: str
    splits: list[SeedSplit]
    config_diff: list[tuple[str, list[Any]]]  # between systems (each system's first run)
    bootstrap: dict[str, Any]
    notes: list[str] = field(default_factory=list)

    def seeds(self, k: int) -> list[Any]:
        return [self.runs[i].info.config.seed for i in self.groups[k]]

    def values(self, sp: SeedSplit, k: int, metric: str, class_name: str | None = None) -> list[float]:
        """System k's score per seed on a split: a headline metric or one class's F1."""
        if class_name is None:
            return [sp.scores[i][metric] for i in self.groups[k]]
        return [sp.scores[i]["per_type"][class_name]["f1"] for i in self.groups[k]]


def mean_sd(values: Sequence[float]) -> tuple[float, float | None]:
    """Mean and sample standard deviation (None for one value)."""
    arr = np.asarray(values, dtype=float)
    return float(arr.mean()), (float(arr.std(ddof=1)) if arr.size > 1 else None)


def compare_seeds(paths: Sequence[str | Path], *, n_resamples: int = 1000, seed: int = 0,
                  confidence: float = 0.95, unit: str = "sentence") -> SeedComparison:
    """Load the runs (or sweeps), group them into systems by seed and compare each system with the
    first (the system of the first run)."""
    if unit not in UNITS:
        raise AraftError(f"unknown bootstrap unit {unit!r}; known: {', '.join(UNITS)}")
    layers, shared, notes = load_runs(paths)
    runs = [next(iter(r.values())) for r in layers]
    groups = seed_groups(runs)
    if len(groups) < 2:
        raise AraftError(f"the {len(runs)} runs differ only in their seed: one system, nothing to "
                         "compare it with (give the runs of a second system too)")
    if len(groups) > len(LETTERS):
        raise AraftError(f"compare --by-seed takes at most {len(LETTERS)} systems, got {len(groups)}")
    labels = list(LETTERS[:len(groups)])
    run_labels = [""] * len(runs)
    for lab, group in zip(labels, groups):
        for n, i in enumerate(group, 1):
            run_labels[i] = f"{lab}{n}"
    if all(len(g) == 1 for g in groups):
        notes.append("every system has one run: the intervals are plain compare's; give each "
                     "system's runs for several seeds to measure the seeds' spread")
    part = len(shared) > 1 or any(len(r) > 1 for r in layers)
    splits: list[SeedSplit] = []
    compared: list[list[str]] = []
    for key in shared:
        layer_runs = [r[key] for r in layers]
        classes, counted = counted_splits(layer_runs, run_labels, notes, part=part, unit=unit)
        for cs in counted:
            compared.append(cs.names)
            deltas = seed_group_deltas([[cs.counts[i] for i in g] for g in groups],
                                       n_resamples=n_resamples, seed=seed, confidence=confidence)
            splits.append(SeedSplit(cs.split, cs.title, cs.n_sentences, cs.counts[0].n_sentences,
                                    classes, layer_runs[0].layer.words.what,
                                    [scores_from_counts(c) for c in cs.counts], deltas,
                                    split_digest(layer_runs[0], cs.split)))
    skipped = skipped_splits(runs, compared)
    if skipped:
        notes.append(skipped)
    boot = {"n_resamples": n_resamples, "seed": seed, "confidence": confidence, "unit": unit,
            "method": f"two-level percentile bootstrap over {unit}s and seeds"}
    firsts = [runs[g[0]] for g in groups]
    diff = [(k, v) for k, v in config_diff(firsts) if k != "seed"]
    return SeedComparison(runs, groups, labels, runs[0].task, splits, diff, boot, notes)

