"""Score a Predictor on gold articles: word-level IOB2, entity-level strict, with intervals."""
from __future__ import annotations

from typing import Any, Sequence

from araft.corpus.article import Article
from araft.tasks import ner


def evaluate_ner(predictor, articles: Sequence[Article], *, n_resamples: int = 1000,
                 seed: int = 0) -> tuple[dict[str, Any], list[Article]]:
    """(metrics with 95% bootstrap intervals over sentences, predicted articles)."""
    from araft.metrics import ner_report

    wp = predictor.predict_words(articles, with_gold=True)
    gold = [sw.gold for sw in wp.sentences]
    pred = [ner.repair_iob2(t) for t in wp.tags]
    metrics = ner_report(gold, pred, n_resamples=n_resamples, seed=seed)
    metrics["n_sentences"] = len(gold)
    metrics["n_words"] = sum(len(g) for g in gold)
    return metrics, predictor.to_articles(articles, wp)


def evaluate_task(predictor, articles: Sequence[Article], *, n_resamples: int = 1000,
                  seed: int = 0) -> tuple[dict[str, Any], list[Article]]:
    """Dispatch on the predictor's task (the task travels in the model's settings)."""
    if predictor.settings.task == "claims":
        from araft.tasks.claims import evaluate_claims

        return evaluate_claims(predictor, articles, n_resamples=n_resamples, seed=seed)
    return evaluate_ner(predictor, articles, n_resamples=n_resamples, seed=seed)
