"""The encoder's sentence probabilities blended with a TF-IDF model's (task.tfidf_blend): in logit
space, p = sigmoid((1 - w) * logit(encoder) + w * logit(tfidf)), with the weight w chosen on dev
together with the per-label thresholds. w = 0 is the encoder alone, which dev keeps whenever
TF-IDF adds nothing.

Why: fine-tuned, the small embedded encoder ranks some sentences below TF-IDF's n-grams, and the
two err differently; measured in docs/benchmarks.md, "A TF-IDF blend, built in".
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

from araft.corpus.article import Article
from araft.errors import ConfigError
from araft.tasks.claims.thresholds import decide, micro_f1, tune_thresholds

if TYPE_CHECKING:
    from araft.modelio import ModelSettings
    from araft.tasks.claims.tfidf import TfidfModel

log = logging.getLogger(__name__)
WEIGHTS = tuple(round(0.1 * k, 1) for k in range(11))  # TF-IDF's share, 0 = the encoder alone
EPS = 1e-6  # probabilities are clipped to [EPS, 1 - EPS] before their logits are taken


def blend(encoder: np.ndarray, tfidf: np.ndarray, weight: float) -> np.ndarray:
    """(1 - weight) x the encoder's and weight x TF-IDF's logits, as probabilities."""
    if weight == 0.0:
        return np.asarray(encoder)
    e, t = (np.clip(np.asarray(p, dtype=np.float64), EPS, 1 - EPS) for p in (encoder, tfidf))
    z = (1 - weight) * np.log(e / (1 - e)) + weight * np.log(t / (1 - t))
    return np.exp(-np.logaddexp(0.0, -z))


@dataclass
class BlendChoice:
    weight: float
    thresholds: dict[str, float]
    # per weight tried: the thresholds tuned at it and the dev micro F1 they score
    tried: dict[float, tuple[dict[str, float], float]]


def choose_blend(gold: np.ndarray, encoder: np.ndarray, tfidf: np.ndarray, labels: Sequence[str],
                 objective: str = "label_f1") -> BlendChoice:
    """For each weight the thresholds are tuned (``objective``) on these dev scores; the weight
    whose decisions score the best micro F1 is kept, the smaller one on a tie."""
    gold = np.asarray(gold, dtype=bool)
    tried = {}
    for w in WEIGHTS:
        p = blend(encoder, tfidf, w)
        cuts = tune_thresholds(gold, p, labels, objective)
        tried[w] = (cuts, micro_f1(gold, decide(p, labels, True, cuts)))
    top = max(f1 for _, f1 in tried.values())
    best = min(w for w, (_, f1) in tried.items() if f1 >= top - 1e-12)
    return BlendChoice(best, tried[best][0], tried)


def encoder_alone(settings: ModelSettings, where: str = "this model") -> ModelSettings:
    """The settings that decide the encoder's scores alone: TF-IDF's weight 0 and the thresholds
    tuned on dev for the encoder alone. The blend's thresholds would misplace the cut: they were
    tuned on other scores."""
    if not settings.tfidf_weight:
        return settings
    if not settings.encoder_thresholds:
        raise ConfigError(f"{where} blends its sentence scores with TF-IDF but has no "
                          "araft.encoder_thresholds, the thresholds tuned for its encoder alone (it "
                          "was saved before araft recorded them): use it with the blend, or train it again")
    return replace(settings, tfidf_weight=0.0, thresholds=dict(settings.encoder_thresholds),
                   encoder_thresholds={}, tfidf_context=False)


def item_texts(items: Sequence[Any], articles: Sequence[Article]) -> list[str]:
    """Each item's sentence as it stands in its article (what TF-IDF reads: no preprocessing)."""
    return [articles[it.article].text[it.span[0]:it.span[1]] for it in items]


class TfidfBlending:
    """For the predictors of sentence labels (claims, joint): the TF-IDF model a saved model's
    settings blend with (araft.tfidf_weight > 0), loaded from beside its weights."""
    settings: ModelSettings
    labels: list[str]
    tfidf: TfidfModel | None

    def init_tfidf(self, tfidf: TfidfModel | None) -> None:
        if self.settings.tfidf_weight and tfidf is None:
            raise ConfigError(f"these settings blend the sentence scores with TF-IDF (weight "
                              f"{self.settings.tfidf_weight}), but no TF-IDF model was given")
        if tfidf is not None and list(tfidf.labels) != list(self.labels):
            raise ConfigError(f"the TF-IDF model's labels {tfidf.labels} are not the model's "
                              f"{self.labels}: they do not belong together")
        if tfidf is not None and self.settings.tfidf_weight and \
                (tfidf.context is not None) != self.settings.tfidf_context:
            has = "has an" if tfidf.context is not None else "has no"
            raise ConfigError(f"the TF-IDF model {has} article-context stage, but the settings say "
                              f"araft.tfidf_context={self.settings.tfidf_context}: they do not belong together")
        self.tfidf = tfidf if self.settings.tfidf_weight else None

    @staticmethod
    def companions(path: str | Path, settings: ModelSettings) -> dict[str, Any]:
        """What a saved model needs beside its weights: the TF-IDF model when it blends with one."""
        if not settings.tfidf_weight:
            return {}
        from araft.tasks.claims.tfidf import TfidfModel

        return {"tfidf": TfidfModel.load(path)}

    encoder_alone = staticmethod(encoder_alone)

    def without_tfidf(self, where: str = "this model"):
        """Predictor.without_tfidf (the settings through ``encoder_alone`` above), and the TF-IDF
        model let go; a model that does not blend is left as it is."""
        super().without_tfidf(where)
        self.tfidf = None
        return self

    def with_tfidf(self, probs: np.ndarray, items: Sequence[Any],
                   articles: Sequence[Article]) -> np.ndarray:
        """The encoder's probabilities, blended with TF-IDF's when the model was saved so."""
        if self.tfidf is None:
            return probs
        tfidf = self.tfidf.probs(item_texts(items, articles), [it.article for it in items])
        return blend(probs, tfidf, self.settings.tfidf_weight)


def fit_blend(train: tuple[Sequence[str], np.ndarray], dev: tuple[Sequence[str], np.ndarray],
              encoder_dev: np.ndarray, labels: Sequence[str], objective: str,
              source: str | None = None, groups: tuple[Sequence[Any], Sequence[Any]] | None = None):
    """After training (task.tfidf_blend): TF-IDF fitted on the train sentences (texts, binary
    gold), its weight and the thresholds chosen on dev against the encoder's dev probabilities.
    ``groups``: (train, dev) article keys of the sentences, for TF-IDF's article-context stage
    (task.tfidf_context). Returns the Finalized settings, with the TF-IDF model as a companion
    unless dev keeps the encoder alone."""
    from araft.tasks.claims.tfidf import fit_tfidf
    from araft.training import Finalized

    tfidf = fit_tfidf(*train, *dev, labels, source=source, groups=groups)
    choice = choose_blend(dev[1], encoder_dev, tfidf.dev_probs, labels, objective)
    found = {"weight": choice.weight, "C": {k: v["C"] for k, v in tfidf.chosen.items()},
             "article_context": tfidf.context is not None,
             "dev_micro_f1": {f"{w:g}": round(f1, 4) for w, (_, f1) in choice.tried.items()}}
    log.info("TF-IDF (C per label %s) blended with the encoder: dev micro F1 per weight %s; "
             "weight %.1f chosen", found["C"], found["dev_micro_f1"], choice.weight)
    record = {"tfidf_blend": found}
    if not choice.weight:
        return Finalized({"thresholds": choice.thresholds}, record=record)
    return Finalized({"thresholds": choice.thresholds, "tfidf_weight": choice.weight,
                      "encoder_thresholds": choice.tried[0.0][0],
                      "tfidf_context": tfidf.context is not None}, {"tfidf": tfidf}, record)
