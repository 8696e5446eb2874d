"""The joint task as an araft task: entities and sentence labels from one encoder, one forward
pass per window. Two layers, so reports, comparisons and cards show both; metrics.json keeps each
layer's scores under its key ("entities", "sentences") in every split."""
from __future__ import annotations

from typing import Any, Sequence

from araft.tasks.base import Task
from araft.tasks.claims.layer import SentenceLayer
from araft.tasks.joint.card import JointCard
from araft.tasks.ner.layer import EntityLayer


class JointTask(Task):
    name = "joint"
    title = "entities and sentence labels"
    description = "named-entity recognition and sentence classification"
    pipeline_tag = "token-classification"  # the saved folder loads as a token classifier
    hub_tags = ("ner", "sentence-classification")
    config_keys = ("context", "context_words", "multi_label", "pos_weight", "tune_thresholds",
                   "threshold_objective", "tfidf_blend", "tfidf_context", "sentence_loss_weight",
                   "sentence_loss_schedule")
    reads_extra_train = True
    predictor_path = "araft.tasks.joint.predictor.JointPredictor"
    evaluate_path = "araft.tasks.joint.predictor.evaluate_joint"
    layers = (EntityLayer(), SentenceLayer())
    card = JointCard()

    def label_space(self, cfg, train, source=None) -> list[str]:
        """The token head's tags, then the sentence head's labels."""
        from araft.tasks.joint.train import joint_labels

        tags, labels = joint_labels(cfg, [train], source)
        return tags + labels

    def prepare(self, cfg, splits):
        from araft.tasks.joint.train import prepare_joint

        return prepare_joint(cfg, splits.train, splits.dev, splits.files, splits.extra_train)

    def layer_metrics(self, split_metrics: dict[str, Any]):
        """The layers a split's gold annotates (an entity-only set has no "sentences")."""
        return [(layer, split_metrics[layer.key]) for layer in self.layers
                if isinstance(split_metrics.get(layer.key), dict)]

    def export_for_hub(self, model_dir, out) -> list:
        """token-classification/ and sentence-classification/: the two standard heads, each
        with the shared encoder, as plain transformers loads them; the sentence model gets the
        TF-IDF model its scores blend with, when there is one."""
        import shutil
        from pathlib import Path

        from araft.tasks.claims.tfidf import FILES
        from araft.tasks.joint.model import export_heads, load_joint

        paths = export_heads(load_joint(model_dir), out)
        for name in FILES:
            if (Path(model_dir) / name).is_file():
                shutil.copy2(Path(model_dir) / name, paths["sentence-classification"] / name)
        return list(paths.values())

    def labels_from_ids(self, names: Sequence[str]) -> list[str]:
        """Entity types (the folder's id2label holds the token head's tags)."""
        return sorted({t[2:] for t in names if t != "O"})
