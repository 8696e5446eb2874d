"""NER as an araft task: IOB2 word tags with a token-classification head (plain transformers
loads the saved model as one)."""
from __future__ import annotations

from typing import Any, Sequence

from araft.tasks.base import Task
from araft.tasks.ner.card import NerCard
from araft.tasks.ner.layer import EntityLayer


class NerTask(Task):
    name = "ner"
    title = "NER"
    description = "named-entity recognition"
    pipeline_tag = "token-classification"
    hub_tags = ("ner",)
    reads_extra_train = True
    layers = (EntityLayer(),)
    card = NerCard()

    def label_space(self, cfg, train, source=None) -> list[str]:
        """IOB2 tags: O, then B-/I- per entity type (declared, else seen in train), sorted."""
        from araft.tasks.ner.train import entity_types
        from araft.tasks.ner.words import tag_list

        return tag_list(entity_types(cfg, train))

    def prepare(self, cfg, splits):
        from araft.tasks.ner.train import prepare_ner

        return prepare_ner(cfg, splits.train, splits.dev, splits.files, splits.extra_train)

    @property
    def predictor_class(self):
        from araft.tasks.ner.predictor import NerPredictor

        return NerPredictor

    def evaluate(self, predictor, articles, *, n_resamples: int = 1000,
                 seed: int = 0) -> tuple[dict[str, Any], list]:
        from araft.tasks.ner.predictor import evaluate_ner

        return evaluate_ner(predictor, articles, n_resamples=n_resamples, seed=seed)

    def labels_from_ids(self, names: Sequence[str]) -> list[str]:
        """Entity types, not tags."""
        return sorted({t[2:] for t in names if t != "O"})
