"""The claims predictor: every sentence of every article scored (its own spans, or the segmenter's
when it has none), labels decided per label threshold or by arg-max; and its evaluation, per label
and micro/macro with intervals over sentences and over whole articles."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Sequence

import numpy as np

from araft.corpus.article import Article, Sentence
from araft.inference import Predictor
from araft.modelio import ModelSettings
from araft.tasks.claims.sentences import (SentenceCollator, SentenceItem, encode_sentence,
                                          gold_matrix, log_truncated, sentence_items)
from araft.tasks.claims.blend import TfidfBlending
from araft.tasks.claims.tfidf import TfidfModel
from araft.tasks.claims.thresholds import DEFAULT_THRESHOLD, decide


@dataclass
class ClaimsScores:
    items: list[SentenceItem]
    probs: np.ndarray       # [n_sentences, n_labels] probabilities
    n_truncated: int


class ClaimsPredictor(TfidfBlending, Predictor):
    """Sentence labels and per-label probabilities for every sentence of every article."""
    auto_class = "AutoModelForSequenceClassification"

    def __init__(self, model, tokenizer, settings: ModelSettings, batch_size: int = 32,
                 device: str | None = None, tfidf: TfidfModel | None = None):
        super().__init__(model, tokenizer, settings, batch_size, device)
        self.labels = [self.id2label[k] for k in range(len(self.id2label))]
        self.collate = SentenceCollator(tokenizer.pad_token_id, settings.multi_label)
        self.init_tfidf(tfidf)

    def score(self, articles: Sequence[Article], *, with_gold: bool = False,
              source: str | None = None) -> ClaimsScores:
        import torch

        items = sentence_items(articles, with_gold=with_gold, context=self.settings.context,
                               context_words=self.settings.context_words, source=source)
        feats, n_truncated = [], 0
        for item in items:
            f, cut = encode_sentence(self.encoder, item.words, item.prev, item.next,
                                     max_length=self.settings.max_length,
                                     context=self.settings.context)
            feats.append(f)
            n_truncated += cut
        log_truncated(n_truncated, len(items), self.settings.max_length, "predict")
        probs = np.zeros((len(items), len(self.labels)), dtype=np.float32)
        for rows, logits in self.batched_logits(feats, self.collate):
            p = torch.sigmoid(logits) if self.settings.multi_label else torch.softmax(logits, -1)
            probs[rows] = p.cpu().numpy()
        return ClaimsScores(items, self.with_tfidf(probs, items, articles), n_truncated)

    def decide(self, probs: np.ndarray) -> np.ndarray:
        return decide(probs, self.labels, self.settings.multi_label, self.settings.thresholds)

    def to_articles(self, articles: Sequence[Article], scores: ClaimsScores) -> list[Article]:
        """Copies of the articles whose sentences are the predicted ones (entities kept as given)."""
        chosen = self.decide(scores.probs)
        found: list[list[Sentence]] = [[] for _ in articles]
        for item, p, yes in zip(scores.items, scores.probs, chosen):
            labels = tuple(name for name, on in zip(self.labels, yes) if on)
            found[item.article].append(Sentence(item.span[0], item.span[1], labels,
                                                {n: float(x) for n, x in zip(self.labels, p)}))
        return [replace(a, entities=list(a.entities), sentences=s, meta=dict(a.meta))
                for a, s in zip(articles, found)]

    def predict_articles(self, articles: Sequence[Article]) -> list[Article]:
        """Every sentence labelled: the article's own spans, or the segmenter's when it has none."""
        return self.to_articles(articles, self.score(articles))


def evaluate_claims(predictor: ClaimsPredictor, articles: Sequence[Article],
                    n_resamples: int = 1000, seed: int = 0, *,
                    source: str | None = None) -> tuple[dict[str, Any], list[Article]]:
    """(per-label and micro/macro scores with 95% bootstrap intervals over sentences and over
    articles, predicted articles). Every article must carry gold sentence spans."""
    from araft.metrics import article_groups, multilabel_report

    scores = predictor.score(articles, with_gold=True, source=source)
    gold = gold_matrix(scores.items, articles, predictor.labels, source)
    pred = predictor.decide(scores.probs)
    metrics = multilabel_report(gold.astype(np.int8), pred.astype(np.int8), scores.probs,
                                predictor.labels, n_resamples=n_resamples, seed=seed,
                                groups=article_groups(it.article for it in scores.items))
    metrics.update({
        "labels": list(predictor.labels),
        "multi_label": predictor.settings.multi_label,
        "thresholds": {n: predictor.settings.thresholds.get(n, DEFAULT_THRESHOLD)
                       for n in predictor.labels} if predictor.settings.multi_label else None,
        "n_sentences": len(scores.items),
        "n_articles": len(articles),
        "n_truncated": scores.n_truncated,
    })
    return metrics, predictor.to_articles(articles, scores)
