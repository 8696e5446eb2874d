"""Sentence labels from probabilities: per-label thresholds (multi-label, tuned on dev to
maximise each label's F1) or the arg-max (one label per sentence)."""
from __future__ import annotations

import logging
from typing import Sequence

import numpy as np

log = logging.getLogger(__name__)
DEFAULT_THRESHOLD = 0.5


def decide(probs: np.ndarray, labels: Sequence[str], multi_label: bool,
           thresholds: dict[str, float]) -> np.ndarray:
    """Binary [n, n_labels] decisions: per-label thresholds (multi-label) or the arg-max."""
    probs = np.asarray(probs)
    if not multi_label:
        out = np.zeros(probs.shape, dtype=bool)
        if len(probs):
            out[np.arange(len(probs)), probs.argmax(-1)] = True
        return out
    cut = np.array([thresholds.get(name, DEFAULT_THRESHOLD) for name in labels])
    return probs >= cut


def best_threshold(gold: np.ndarray, scores: np.ndarray, default: float = DEFAULT_THRESHOLD) -> float:
    """The threshold maximising F1 of one label, among cuts between consecutive distinct scores
    (midpoints, so a score at the border is not a coin flip). Ties go to the threshold nearest the
    default; a label without positives keeps the default."""
    gold = np.asarray(gold, dtype=bool)
    scores = np.asarray(scores, dtype=np.float64)
    n_pos = int(gold.sum())
    if n_pos == 0 or len(scores) == 0:
        return default
    order = np.argsort(-scores, kind="stable")
    s, g = scores[order], gold[order]
    tp = np.cumsum(g)
    f1 = 2.0 * tp / (np.arange(1, len(s) + 1) + n_pos)
    cuts = np.flatnonzero(np.r_[s[1:] < s[:-1], True])  # last item of each group of equal scores
    lower = np.r_[s[1:], 0.0][cuts]
    thresholds = (s[cuts] + lower) / 2.0
    scores_at = f1[cuts]
    best = np.flatnonzero(scores_at >= scores_at.max() - 1e-12)
    pick = best[np.argmin(np.abs(thresholds[best] - default))]
    return float(thresholds[pick])


def tune_thresholds(gold: np.ndarray, probs: np.ndarray, labels: Sequence[str]) -> dict[str, float]:
    out = {}
    for k, name in enumerate(labels):
        if not np.asarray(gold)[:, k].any():
            log.warning("label %r has no positive sentence in dev: its threshold stays %.2f",
                        name, DEFAULT_THRESHOLD)
        out[name] = round(best_threshold(gold[:, k], probs[:, k]), 6)
    return out
