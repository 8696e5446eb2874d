"""Bootstrap confidence intervals over sentences (or whole articles), from per-sentence counts.

Every score here (precision, recall, F1; micro, macro, per type) is a function of the true positive,
false positive and false negative counts per type, summed over sentences. So each sentence is
reduced once to a [n_types, 3] block of counts; a bootstrap resample is then a vector of sentence
multiplicities, and its summed counts are one matrix product. 1000 resamples over 4k sentences
take a few tens of milliseconds.

The formulas are seqeval's (p = tp/(tp+fp), r = tp/(tp+fn), f1 = 2pr/(p+r), 0.0 where undefined)
evaluated in the same order, so the point scores equal the `entity_f1` / `multilabel_f1` modules
exactly, not just approximately.

Intervals are percentile intervals: the (1-c)/2 and (1+c)/2 quantiles of the resampled statistic.

Labels cluster by article (on the claims test split five of 52 articles hold over half the obstacle
sentences), so sentences are not independent and resampling them understates the uncertainty.
`group_counts` sums the rows of each article: the scores stay the same and the same bootstrap then
resamples whole articles (a cluster bootstrap).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from araft.corpus.tags import iob2_chunks
from araft.errors import AraftError, DataError

TP, FP, FN = 0, 1, 2
HEADLINE = ("micro_f1", "micro_precision", "micro_recall", "macro_f1", "macro_precision",
            "macro_recall")
_TAG = re.compile(r"^(?:O|[BI]-.+)$")
# Resamples per block: bounds the [block, n_sentences] weight matrix to ~4M cells (32 MB).
_CELLS_PER_BLOCK = 4_000_000
# Fewer articles than this: a note that the article bootstrap is unreliable (one article: no width).
FEW_ARTICLES = 10


@dataclass(frozen=True)
class EntityCounts:
    """Per-sentence sufficient statistics.

    counts: int64 [n_sentences, n_types, 3], last axis (tp, fp, fn).
    types: the type (or label) names, in the order of axis 1.
    macro_over_present: True averages macro scores over the types that occur (gold or predicted)
        in the data at hand, seqeval's convention for NER; False averages over all types, the
        scikit-learn convention for a fixed multi-label label set.
    """
    counts: np.ndarray
    types: tuple[str, ...]
    macro_over_present: bool = True

    @property
    def n_sentences(self) -> int:
        return int(self.counts.shape[0])


# ---------------------------------------------------------------- counts

def iob2_entities(tags: Sequence[str]) -> set[tuple[str, int, int]]:
    """Entities (type, start, end-exclusive) of one sentence under strict IOB2, as a set.

    Same result as seqeval's strict extraction (seqeval.scheme.Tokens with IOB2; tested); the
    decoder is araft's one (corpus.tags.iob2_chunks).
    """
    return set(iob2_chunks(tags))


def _check_tags(references: Sequence[Sequence[str]], predictions: Sequence[Sequence[str]]) -> None:
    if len(references) != len(predictions):
        raise DataError(f"{len(references)} gold sentences but {len(predictions)} predicted ones")
    for i, (ref, pred) in enumerate(zip(references, predictions)):
        if len(ref) != len(pred):
            raise DataError(f"sentence {i}: {len(ref)} gold tags but {len(pred)} predicted tags")
    seen = {t for sent in references for t in sent} | {t for sent in predictions for t in sent}
    bad = sorted(t for t in seen if not isinstance(t, str) or not _TAG.match(t))
    if bad:
        raise DataError(f"not IOB2 tags: {bad[:5]} (expected 'O', 'B-TYPE' or 'I-TYPE')")


def entity_counts(references: Sequence[Sequence[str]], predictions: Sequence[Sequence[str]],
                  types: Sequence[str] | None = None) -> EntityCounts:
    """Per sentence and type: entities found in both (tp), only predicted (fp), only gold (fn).

    types: the column order; default the sorted types seen in gold or predictions (seqeval's order).
    A type given here but absent from the data gets zero counts; it does not enter macro averages.
    """
    _check_tags(references, predictions)
    gold = [iob2_entities(s) for s in references]
    pred = [iob2_entities(s) for s in predictions]
    seen = {e[0] for ents in gold + pred for e in ents}
    if types is None:
        names = tuple(sorted(seen))
    else:
        names = tuple(types)
        missing = sorted(seen - set(names))
        if missing:
            raise DataError(f"entity types {missing} occur in the tags but not in the types given")
    column = {name: k for k, name in enumerate(names)}
    counts = np.zeros((len(gold), len(names), 3), dtype=np.int64)
    for i, (g, p) in enumerate(zip(gold, pred)):
        for kind, _, _ in g & p:
            counts[i, column[kind], TP] += 1
        for kind, _, _ in p - g:
            counts[i, column[kind], FP] += 1
        for kind, _, _ in g - p:
            counts[i, column[kind], FN] += 1
    return EntityCounts(counts, names, macro_over_present=True)


def multilabel_counts(references: np.ndarray, predictions: np.ndarray,
                      labels: Sequence[str]) -> EntityCounts:
    """Per sentence and label: tp, fp, fn from binary [n_sentences, n_labels] arrays."""
    ref = np.asarray(references)
    pred = np.asarray(predictions)
    if ref.ndim != 2 or ref.shape != pred.shape:
        raise DataError(f"references {ref.shape} and predictions {pred.shape} must be "
                        "equal-shaped [n_sentences, n_labels] arrays")
    if ref.shape[1] != len(labels):
        raise DataError(f"{len(labels)} label names for {ref.shape[1]} label columns")
    if not (np.isin(ref, (0, 1)).all() and np.isin(pred, (0, 1)).all()):
        raise DataError("label vectors must hold only 0 and 1")
    ref, pred = ref.astype(bool), pred.astype(bool)
    counts = np.stack([ref & pred, ~ref & pred, ref & ~pred], axis=-1).astype(np.int64)
    return EntityCounts(counts, tuple(labels), macro_over_present=False)


def group_counts(counts: EntityCounts, groups: Sequence) -> EntityCounts:
    """The rows of each group (e.g. the article of each sentence) summed, groups in order of first
    appearance. Every score is a function of the summed counts, so the point scores are unchanged;
    bootstrap_ci and paired_bootstrap then resample groups."""
    if len(groups) != counts.n_sentences:
        raise AraftError(f"{len(groups)} group ids for {counts.n_sentences} sentences: "
                         "one per sentence needed")
    first: dict = {}
    rows = np.array([first.setdefault(g, len(first)) for g in groups], dtype=np.intp)
    summed = np.zeros((len(first),) + counts.counts.shape[1:], dtype=np.int64)
    np.add.at(summed, rows, counts.counts)
    return EntityCounts(summed, counts.types, counts.macro_over_present)


def few_articles_note(n_articles: int) -> str | None:
    """The warning for an article bootstrap over fewer than FEW_ARTICLES articles, else None."""
    if n_articles >= FEW_ARTICLES:
        return None
    return (f"only {n_articles} article(s), too few for an article bootstrap: its intervals "
            "understate the uncertainty (one article: no width at all)")


# ---------------------------------------------------------------- scores

def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num/den elementwise, 0.0 where den is 0; the same float operations as seqeval."""
    den = np.asarray(den, dtype=np.float64)
    return np.where(den == 0, 0.0, num / np.where(den == 0, 1.0, den))


def _prf(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray):
    p = _ratio(tp, tp + fp)
    r = _ratio(tp, tp + fn)
    den = p + r
    return p, r, 2.0 * p * r / np.where(den == 0, 1.0, den)


def resampled_scores(sums: np.ndarray, macro_over_present: bool) -> dict[str, np.ndarray]:
    """Scores from summed counts [..., n_types, 3]; leading axes (resamples) are kept."""
    tp, fp, fn = sums[..., TP], sums[..., FP], sums[..., FN]
    p, r, f = _prf(tp, fp, fn)
    mp, mr, mf = _prf(tp.sum(-1), fp.sum(-1), fn.sum(-1))
    present = (tp + fp + fn) > 0 if macro_over_present else np.ones(tp.shape, dtype=bool)
    n_present = present.sum(-1)

    def macro(x: np.ndarray) -> np.ndarray:
        return np.where(n_present == 0, 0.0, (x * present).sum(-1) / np.maximum(n_present, 1))

    return {"micro_f1": mf, "micro_precision": mp, "micro_recall": mr,
            "macro_f1": macro(f), "macro_precision": macro(p), "macro_recall": macro(r),
            # A type absent from a resample has no F1 there (nan), rather than a made-up 0.
            "type_f1": np.where(present, f, np.nan)}


def scores_from_counts(counts: EntityCounts) -> dict:
    """Point scores: micro/macro precision, recall, F1 and per type {precision, recall, f1, support}."""
    totals = counts.counts.sum(axis=0)
    tp, fp, fn = totals[:, TP], totals[:, FP], totals[:, FN]
    p, r, f = _prf(tp, fp, fn)
    mp, mr, mf = _prf(np.array([tp.sum()]), np.array([fp.sum()]), np.array([fn.sum()]))
    keep = (tp + fp + fn) > 0 if counts.macro_over_present else np.ones(len(tp), dtype=bool)
    # np.mean over a 1-d array, as seqeval's np.average does, so the sums run in the same order.
    macro = [float(np.mean(x[keep])) if keep.any() else 0.0 for x in (p, r, f)]
    return {
        "micro_f1": float(mf[0]), "micro_precision": float(mp[0]), "micro_recall": float(mr[0]),
        "macro_f1": macro[2], "macro_precision": macro[0], "macro_recall": macro[1],
        "per_type": {t: {"precision": float(p[k]), "recall": float(r[k]), "f1": float(f[k]),
                         "support": int(tp[k] + fn[k])} for k, t in enumerate(counts.types)},
    }


# ---------------------------------------------------------------- resampling

def resampled_sums(count_sets: Sequence[EntityCounts], n_resamples: int, seed: int):
    """Summed counts [n_resamples, n_types, 3] for each counts set, same resamples for all."""
    n = count_sets[0].n_sentences
    if n == 0:
        raise DataError("cannot bootstrap over zero sentences")
    if n_resamples < 1:
        raise AraftError(f"n_resamples must be positive, got {n_resamples}")
    rng = np.random.default_rng(seed)
    flat = [c.counts.reshape(n, -1).astype(np.float64) for c in count_sets]
    out = [np.empty((n_resamples, c.counts.shape[1] * 3)) for c in count_sets]
    block = max(1, _CELLS_PER_BLOCK // n)
    for start in range(0, n_resamples, block):
        b = min(block, n_resamples - start)
        idx = rng.integers(0, n, size=(b, n))
        # Multiplicity of each sentence in each resample; sums are then one matrix product.
        weights = np.bincount((idx + n * np.arange(b)[:, None]).ravel(), minlength=b * n)
        weights = weights.reshape(b, n).astype(np.float64)
        for dst, src in zip(out, flat):
            dst[start:start + b] = weights @ src
    return [o.reshape(n_resamples, -1, 3) for o in out]


def _quantiles(x: np.ndarray, confidence: float) -> tuple[float, float]:
    x = x[~np.isnan(x)]
    if x.size == 0:
        return float("nan"), float("nan")
    alpha = (1.0 - confidence) / 2.0
    lo, hi = np.quantile(x, [alpha, 1.0 - alpha])
    return float(lo), float(hi)


def check_confidence(confidence: float) -> None:
    if not 0.0 < confidence < 1.0:
        raise AraftError(f"confidence must be in (0, 1), got {confidence}")


def bootstrap_ci(counts: EntityCounts, n_resamples: int = 1000, seed: int = 0,
                 confidence: float = 0.95) -> dict:
    """Percentile intervals {metric: (low, high)} for the six headline metrics, plus
    "per_type": {type: (low, high)} for per-type F1 (nan, nan when a type never occurs)."""
    check_confidence(confidence)
    (sums,) = resampled_sums([counts], n_resamples, seed)
    stats = resampled_scores(sums, counts.macro_over_present)
    result: dict = {m: _quantiles(stats[m], confidence) for m in HEADLINE}
    result["per_type"] = {t: _quantiles(stats["type_f1"][:, k], confidence)
                          for k, t in enumerate(counts.types)}
    return result


def paired_entry(delta: float, resampled: np.ndarray, confidence: float) -> dict:
    """Observed delta, percentile interval of the resampled deltas and a two-sided p-value.

    p-value: the share of resampled deltas at or beyond 0 on each side, with the +1 correction
    (the observed sample counts as one resample), the smaller side doubled and clipped to 1:
    p = min(1, 2 * min(1 + #{d <= 0}, 1 + #{d >= 0}) / (B + 1)). It is the percentile-bootstrap
    test of "delta = 0", consistent with the interval: p < 1 - confidence roughly when 0 lies
    outside it. A system against itself gives every d = 0 and p = 1.
    """
    d = resampled[~np.isnan(resampled)]
    low, high = _quantiles(d, confidence)
    if d.size == 0:
        p_value = float("nan")
    else:
        side = min(int((d <= 0).sum()), int((d >= 0).sum()))
        p_value = min(1.0, 2.0 * (side + 1) / (d.size + 1))
    return {"delta": float(delta), "low": low, "high": high, "p_value": p_value}


def paired_bootstrap(counts_a: EntityCounts, counts_b: EntityCounts, n_resamples: int = 1000,
                     seed: int = 0, confidence: float = 0.95) -> dict:
    """System A minus system B on the same sentences, resampled together.

    Returns {metric: {delta, low, high, p_value}} for the headline metrics and "per_type":
    {type: {...}} for per-type F1 of the types both count sets name. delta is the difference of
    the point scores (scores_from_counts).
    """
    check_confidence(confidence)
    if counts_a.n_sentences != counts_b.n_sentences:
        raise AraftError(f"paired bootstrap needs the same sentences: {counts_a.n_sentences} "
                         f"vs {counts_b.n_sentences}")
    sums_a, sums_b = resampled_sums([counts_a, counts_b], n_resamples, seed)
    stats_a = resampled_scores(sums_a, counts_a.macro_over_present)
    stats_b = resampled_scores(sums_b, counts_b.macro_over_present)
    point_a, point_b = scores_from_counts(counts_a), scores_from_counts(counts_b)
    result: dict = {m: paired_entry(point_a[m] - point_b[m], stats_a[m] - stats_b[m], confidence)
                    for m in HEADLINE}
    common = [t for t in counts_a.types if t in set(counts_b.types)]
    result["per_type"] = {}
    for t in common:
        ka, kb = counts_a.types.index(t), counts_b.types.index(t)
        result["per_type"][t] = paired_entry(
            point_a["per_type"][t]["f1"] - point_b["per_type"][t]["f1"],
            stats_a["type_f1"][:, ka] - stats_b["type_f1"][:, kb], confidence)
    return result
