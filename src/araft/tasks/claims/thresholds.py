"""Sentence labels from probabilities: per-label thresholds (multi-label, tuned on dev to
maximise each label's F1, or the micro F1 of all labels together) or the arg-max (one label per
sentence).

Why two objectives: a label's own best threshold sits where one more positive guess is worth as
much as that label's F1 (half a hit per guess); for a hard, rare label (obstacle, F1 about 0.3)
that is a low threshold and many false positives, which pulls the micro F1 of the whole down.
"micro_f1" trades some of that label's F1 for the micro F1, by coordinate ascent from the per-label
thresholds."""
from __future__ import annotations

import logging
from typing import Sequence

import numpy as np

log = logging.getLogger(__name__)
DEFAULT_THRESHOLD = 0.5
OBJECTIVES = ("label_f1", "micro_f1")  # task.threshold_objective: what tune_thresholds maximises


def sigmoid(logits) -> np.ndarray:
    """Multi-label probabilities from logits, in float64 without overflow for large negative logits
    (the dev metrics of the claims and joint tasks tune thresholds on them)."""
    return np.exp(-np.logaddexp(0.0, -np.asarray(logits, dtype=np.float64)))


def micro_f1(gold: np.ndarray, guess: np.ndarray) -> float:
    """F1 over every cell of two boolean arrays of the same shape (one label's F1 for a vector)."""
    return float(2 * (guess & gold).sum() / max(1, guess.sum() + gold.sum()))


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


def best_threshold(gold: np.ndarray, scores: np.ndarray, default: float = DEFAULT_THRESHOLD,
                   others: tuple[int, int] = (0, 0)) -> float:
    """The threshold maximising F1 of one label, among cuts between consecutive distinct scores
    (midpoints, so a score at the border is not a coin flip). Ties go to the threshold nearest the
    default; a label without positives keeps the default. ``others`` = (hits, guesses + gold
    positives) of the other labels: then the F1 maximised is the micro F1 of all of them."""
    gold = np.asarray(gold, dtype=bool)
    scores = np.asarray(scores, dtype=np.float64)
    n_pos = int(gold.sum())
    if n_pos == 0 or len(scores) == 0:
        return default
    order = np.argsort(-scores, kind="stable")
    s, g = scores[order], gold[order]
    tp = np.cumsum(g) + others[0]
    f1 = 2.0 * tp / (np.arange(1, len(s) + 1) + n_pos + others[1])
    cuts = np.flatnonzero(np.r_[s[1:] < s[:-1], True])  # last item of each group of equal scores
    lower = np.r_[s[1:], 0.0][cuts]
    thresholds = (s[cuts] + lower) / 2.0
    scores_at = f1[cuts]
    best = np.flatnonzero(scores_at >= scores_at.max() - 1e-12)
    pick = best[np.argmin(np.abs(thresholds[best] - default))]
    return float(thresholds[pick])


def tune_thresholds(gold: np.ndarray, probs: np.ndarray, labels: Sequence[str],
                    objective: str = "label_f1", rounds: int = 10) -> dict[str, float]:
    """Per-label thresholds maximising each label's F1 on dev, or (objective "micro_f1") the micro
    F1 of all labels: from the per-label thresholds, each label's threshold in turn is set to the
    best given the others', until none moves (at most ``rounds`` sweeps)."""
    if objective not in OBJECTIVES:
        raise ValueError(f"unknown threshold objective {objective!r}")
    gold, probs = np.asarray(gold, dtype=bool), np.asarray(probs, dtype=np.float64)
    cuts = []
    for k, name in enumerate(labels):
        if not gold[:, k].any():
            log.warning("label %r has no positive sentence in dev: its threshold stays %.2f",
                        name, DEFAULT_THRESHOLD)
        cuts.append(best_threshold(gold[:, k], probs[:, k]))
    if objective == "micro_f1" and len(labels) > 1:
        for _ in range(rounds):
            before = list(cuts)
            for k in range(len(labels)):
                rest = [j for j in range(len(labels)) if j != k]
                chosen = probs[:, rest] >= np.array([cuts[j] for j in rest])
                hits = int((chosen & gold[:, rest]).sum())
                cuts[k] = best_threshold(gold[:, k], probs[:, k], cuts[k],
                                         (hits, int(chosen.sum() + gold[:, rest].sum())))
            if cuts == before:
                break
    return {name: round(c, 6) for name, c in zip(labels, cuts)}


def tuned_scores(gold: np.ndarray, probs: np.ndarray, labels: Sequence[str],
                 objective: str = "label_f1") -> dict:
    """Scores (araft.metrics.scores_from_counts) at the thresholds tuned on these same scores: how a
    checkpoint will decide once its thresholds are tuned on dev."""
    from araft.metrics import multilabel_counts, scores_from_counts

    gold = np.asarray(gold, dtype=bool)
    chosen = decide(probs, labels, True, tune_thresholds(gold, probs, labels, objective))
    return scores_from_counts(multilabel_counts(gold.astype(np.int8), chosen.astype(np.int8), labels))
