"""Claims as an araft task: sentence labels (multi-label with tuned thresholds, or one label of
several) with a sequence-classification head (plain transformers loads the saved model as one)."""
from __future__ import annotations

from araft.tasks.base import Task
from araft.tasks.claims.card import ClaimsCard
from araft.tasks.claims.layer import SentenceLayer


class ClaimsTask(Task):
    name = "claims"
    title = "claims"
    description = "sentence classification"
    pipeline_tag = "text-classification"
    hub_tags = ("sentence-classification",)
    config_keys = ("context", "context_words", "multi_label", "pos_weight", "tune_thresholds",
                   "threshold_objective", "tfidf_blend", "tfidf_context")
    predictor_path = "araft.tasks.claims.predictor.ClaimsPredictor"
    evaluate_path = "araft.tasks.claims.predictor.evaluate_claims"
    layers = (SentenceLayer(),)
    card = ClaimsCard()

    def label_space(self, cfg, train, source=None) -> list[str]:
        from araft.tasks.claims.train import label_space

        return label_space(cfg, train, source)

    def prepare(self, cfg, splits):
        from araft.tasks.claims.train import prepare_claims

        return prepare_claims(cfg, splits.train, splits.dev, splits.files)
