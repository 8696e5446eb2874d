"""NER as an araft task: IOB2 word tags with a token-classification head (plain transformers
loads the saved model as one)."""
from __future__ import annotations

from typing import Sequence

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
    predictor_path = "araft.tasks.ner.predictor.NerPredictor"
    evaluate_path = "araft.tasks.ner.predictor.evaluate_ner"
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

    def labels_from_ids(self, names: Sequence[str]) -> list[str]:
        """Entity types, not tags."""
        return sorted({t[2:] for t in names if t != "O"})
