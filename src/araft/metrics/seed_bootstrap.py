"""Systems trained with several seeds, compared by their mean over seeds.

One run per system says little when seeds move a score as much as the difference under test (on
the claims corpus the same recipe scores 0.710-0.744 over three seeds). So each system is a group of
runs that differ only in their seed, its score the mean over its runs, and the difference of two
systems the difference of those means. The interval has two sources of chance, resampled together
(a two-level bootstrap):

- the evaluation data: each resample draws sentences (or, with group_counts, whole articles) with
  replacement, the same draw for every run, as paired_bootstrap does;
- the seeds: each resample also draws, within each system, as many of its runs as it has, with
  replacement, and averages those.

With one run per system the seed level draws that run every time and the result is exactly
paired_bootstrap's (same resamples, same numbers; tested). With few seeds (3) the seed level
understates their spread a little (a bootstrap of n values has variance (n-1)/n of theirs): the
report also shows each seed's score.
"""
from __future__ import annotations

import warnings
from typing import Sequence

import numpy as np

from araft.errors import AraftError
from araft.metrics.bootstrap import (HEADLINE, EntityCounts, check_confidence, paired_entry,
                                     resampled_scores, resampled_sums, scores_from_counts)


def _group_mean(values: np.ndarray, picks: np.ndarray) -> np.ndarray:
    """values [n_resamples, n_runs], picks [n_resamples, n_runs] run indices: the mean of the picked
    runs per resample (a type absent from a resample is nan in its runs and left out)."""
    picked = np.take_along_axis(values, picks, axis=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all nan: the type is in no picked run
        return np.nanmean(picked, axis=1)


def seed_group_deltas(groups: Sequence[Sequence[EntityCounts]], n_resamples: int = 1000,
                      seed: int = 0, confidence: float = 0.95) -> list[dict | None]:
    """For each group after the first: its mean over runs minus the first group's mean, with the
    two-level bootstrap above. Every counts set holds the same sentences (or articles) in the
    same order. Returns [None, {metric: {delta, low, high, p_value}, "per_type": {...}}, ...],
    the entries of paired_bootstrap."""
    check_confidence(confidence)
    if len(groups) < 2 or any(len(g) == 0 for g in groups):
        raise AraftError("a seed comparison needs at least two systems, each with a run")
    flat = [c for g in groups for c in g]
    if len({c.n_sentences for c in flat}) > 1:
        raise AraftError("a seed comparison needs the same sentences in every run: "
                         f"{sorted({c.n_sentences for c in flat})}")
    sums = resampled_sums(flat, n_resamples, seed)
    stats = [resampled_scores(s, c.macro_over_present) for s, c in zip(sums, flat)]
    points = [scores_from_counts(c) for c in flat]
    # A stream of its own for the seed draws, so the data resamples stay paired_bootstrap's.
    rng = np.random.default_rng([seed, 1])
    starts = np.cumsum([0] + [len(g) for g in groups])
    picks = [rng.integers(0, len(g), size=(n_resamples, len(g))) for g in groups]
    types = [t for t in groups[0][0].types if all(t in c.types for c in flat)]

    def resampled(k: int, metric: str, type_name: str | None = None) -> np.ndarray:
        runs = range(starts[k], starts[k + 1])
        if type_name is None:
            values = np.stack([stats[i][metric] for i in runs], axis=1)
        else:
            values = np.stack([stats[i]["type_f1"][:, flat[i].types.index(type_name)]
                               for i in runs], axis=1)
        return _group_mean(values, picks[k])

    def point(k: int, metric: str, type_name: str | None = None) -> float:
        runs = range(starts[k], starts[k + 1])
        if type_name is None:
            return float(np.mean([points[i][metric] for i in runs]))
        return float(np.mean([points[i]["per_type"][type_name]["f1"] for i in runs]))

    out: list[dict | None] = [None]
    for k in range(1, len(groups)):
        entry: dict = {m: paired_entry(point(k, m) - point(0, m),
                                       resampled(k, m) - resampled(0, m), confidence)
                       for m in HEADLINE}
        entry["per_type"] = {t: paired_entry(point(k, "f1", t) - point(0, "f1", t),
                                             resampled(k, "", t) - resampled(0, "", t), confidence)
                             for t in types}
        out.append(entry)
    return out
