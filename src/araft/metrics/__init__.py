"""Metrics: local `evaluate` modules (entity F1, multi-label F1) and bootstrap intervals.

The evaluate modules live in this package (entity_f1/, multilabel_f1/) and load from their
directory, so evaluation never reaches the Hub. The reports add percentile bootstrap intervals
over sentences (see bootstrap.py) and, given the article of each sentence, over whole articles
too: labels cluster by article, so the sentence interval alone is too narrow. Reports contain only
JSON types (float, int, str, list, dict, None).
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np

from araft.errors import ConfigError, DataError
from araft.metrics.bootstrap import (HEADLINE, EntityCounts, bootstrap_ci, entity_counts,
                                     few_articles_note, group_counts, multilabel_counts,
                                     paired_bootstrap, scores_from_counts)

__all__ = ["EntityCounts", "article_groups", "bootstrap_ci", "entity_counts", "load_metric",
           "metric_path", "multilabel_counts", "multilabel_report", "ner_report",
           "paired_bootstrap", "scores_from_counts"]

METRICS = ("entity_f1", "multilabel_f1")


def metric_path(name: str) -> Path:
    """The directory of a shipped evaluate module."""
    if name not in METRICS:
        raise ConfigError(f"unknown metric {name!r}; known: {', '.join(METRICS)}")
    return Path(__file__).resolve().parent / name


def load_metric(name: str):
    """The local evaluate module `name` ("entity_f1" or "multilabel_f1"), loaded from its folder.

    evaluate.load needs the directory as a string (it then reads <dir>/<name>.py); a local path is
    never looked up on the Hub. keep_in_memory avoids the Arrow cache files under ~/.cache.
    """
    import evaluate  # slow import, needed only here

    return evaluate.load(str(metric_path(name)), keep_in_memory=True)


def _jsonable(x: Any) -> Any:
    """Plain JSON types: tuples become lists, numpy scalars python numbers, nan None."""
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple, np.ndarray)):
        return [_jsonable(v) for v in x]
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        return None if math.isnan(x) else float(x)
    return x


def article_groups(articles: Iterable) -> list | None:
    """The article of each scored sentence as bootstrap groups, or None when no article holds two
    sentences: a CoNLL file without -DOCSTART- reads as one article per sentence, which is no
    clustering, and its article interval would only repeat the sentence one."""
    articles = list(articles)
    return articles if len(set(articles)) < len(articles) else None


def _with_ci(point: dict, counts: EntityCounts, per_key: str, groups: Sequence | None,
             **boot) -> dict:
    """point plus "ci", per-class "f1_ci" and "bootstrap"; with groups also the same bootstrap
    over whole articles ("ci_article", "f1_ci_article", bootstrap["n_articles"])."""
    ci = bootstrap_ci(counts, **boot)
    by_article = None
    if groups is not None:
        articles = group_counts(counts, groups)  # same scores; the bootstrap resamples articles
        by_article = bootstrap_ci(articles, **boot)
    report = dict(point)
    report["ci"] = {m: ci[m] for m in HEADLINE}
    none = (math.nan, math.nan)
    report[per_key] = {t: {**row, "f1_ci": ci["per_type"].get(t, none)}
                       for t, row in point[per_key].items()}
    report["bootstrap"] = {"method": "percentile, sentences resampled with replacement", **boot,
                           "n_sentences": counts.n_sentences}
    if by_article is not None:
        report["ci_article"] = {m: by_article[m] for m in HEADLINE}
        for t, row in report[per_key].items():
            row["f1_ci_article"] = by_article["per_type"].get(t, none)
        report["bootstrap"].update(article_method="percentile, whole articles resampled with "
                                   "replacement", n_articles=articles.n_sentences)
        note = few_articles_note(articles.n_sentences)
        if note:
            report["bootstrap"]["article_note"] = note
    return _jsonable(report)


def ner_report(references: Sequence[Sequence[str]], predictions: Sequence[Sequence[str]],
               n_resamples: int = 1000, seed: int = 0, confidence: float = 0.95,
               groups: Sequence | None = None) -> dict:
    """Entity-level scores (strict IOB2) with bootstrap intervals.

    Keys: the entity_f1 module's output (micro_*/macro_* precision, recall, f1; accuracy; support;
    per_type {t: {precision, recall, f1, support, f1_ci}}), plus "ci" {headline metric: [low, high]}
    and "bootstrap" (its settings). groups: the article of each sentence (see article_groups);
    given, the report adds "ci_article", per-type "f1_ci_article" and bootstrap["n_articles"] (and
    bootstrap["article_note"] under FEW_ARTICLES articles). Raises DataError on mismatched
    lengths or non-IOB2 tags.
    """
    references = [list(s) for s in references]
    predictions = [list(s) for s in predictions]
    if not references:
        raise DataError("no sentences to score")
    counts = entity_counts(references, predictions)  # validates before evaluate sees the data
    point = load_metric("entity_f1").compute(predictions=predictions, references=references)
    return _with_ci(point, counts, "per_type", groups, n_resamples=n_resamples, seed=seed,
                    confidence=confidence)


def multilabel_report(references: np.ndarray, predictions: np.ndarray,
                      scores: np.ndarray | None, labels: Sequence[str], n_resamples: int = 1000,
                      seed: int = 0, confidence: float = 0.95,
                      groups: Sequence | None = None) -> dict:
    """Multi-label sentence scores with bootstrap intervals.

    references, predictions: binary [n_sentences, n_labels]; scores: same shape or None.
    Keys: the multilabel_f1 module's output (micro_*/macro_*, exact_match, support, per_label
    {name: {precision, recall, f1, support, [roc_auc, average_precision], f1_ci}}), plus "ci" and
    "bootstrap", and with groups (one article key per row) the article intervals, as in ner_report.
    """
    ref, pred = np.asarray(references), np.asarray(predictions)
    counts = multilabel_counts(ref, pred, labels)  # validates shapes and values
    if counts.n_sentences == 0:
        raise DataError("no sentences to score")
    if scores is not None and np.asarray(scores).shape != ref.shape:
        raise DataError(f"scores {np.asarray(scores).shape} must have the shape {ref.shape}")
    point = load_metric("multilabel_f1").compute(
        predictions=pred.astype(np.int8).tolist(), references=ref.astype(np.int8).tolist(),
        scores=None if scores is None else np.asarray(scores, dtype=np.float64),
        labels=list(labels))
    return _with_ci(point, counts, "per_label", groups, n_resamples=n_resamples, seed=seed,
                    confidence=confidence)
