"""The araft settings that travel inside a saved model's config.json (key ``araft``)."""
from __future__ import annotations

from dataclasses import MISSING, asdict, dataclass, field, fields
from typing import TYPE_CHECKING, Any

from araft.errors import ConfigError
from araft.preprocessing import MODES
from araft.tasks.registry import LEGACY_TASK, task_from_config

if TYPE_CHECKING:
    from araft.config import TrainConfig

# task.* settings a model carries, each saved only where its task reads it
CARRIED = ("multi_label", "context", "context_words")


@dataclass(frozen=True)
class ModelSettings:
    task: str                       # the task's name (araft.tasks.registry)
    preprocess: str                 # preprocessing mode, see araft.preprocessing.MODES
    max_length: int
    stride: int = 16
    multi_label: bool = True        # claims, joint
    context: int = 0                # claims, joint: neighbour sentences as a second segment
    context_words: int | None = None  # claims, joint: at most this many context words per side
    thresholds: dict[str, float] = field(default_factory=dict)  # claims, joint: tuned on dev
    # claims, joint: TF-IDF's share of the sentence scores' logits (0: the encoder alone), chosen on
    # dev; the TF-IDF model lies beside the weights (araft.tasks.claims.tfidf)
    tfidf_weight: float = 0.0
    # claims, joint, with tfidf_weight > 0: the thresholds tuned on the same dev for the encoder's
    # scores alone, which plain transformers gives and `araft predict --no-tfidf` decides with
    encoder_thresholds: dict[str, float] = field(default_factory=dict)
    # claims, joint, with tfidf_weight > 0: that TF-IDF model reads each sentence's article too
    # (task.tfidf_context; araft.tasks.claims.tfidf_context)
    tfidf_context: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# what training decided for sentence labels (claims, joint); a model without them (the joint model's
# token head saved alone) must carry none, or a later setting would leak into it
SENTENCE_DECISIONS = ("thresholds", "tfidf_weight", "encoder_thresholds", "tfidf_context")


def without_sentence_decisions(raw: dict[str, Any]) -> dict[str, Any]:
    """config.json's ``araft`` settings with every sentence decision back at its default."""
    declared = {f.name: f for f in fields(ModelSettings)}
    return {**raw, **{k: declared[k].default_factory() if declared[k].default is MISSING
                      else declared[k].default for k in SENTENCE_DECISIONS}}


def model_settings(cfg: "TrainConfig", **extra: Any) -> ModelSettings:
    """The settings a model trained with ``cfg`` is saved with (``extra``: what training found,
    e.g. tuned thresholds). Task settings travel only where the task reads them (an NER preset
    may inherit a joint preset's context: ner_claims_tiny); the others keep the defaults."""
    task = task_from_config(cfg.task)
    carried = {k: getattr(cfg.task, k) for k in CARRIED if task.reads(f"task.{k}")}
    return ModelSettings(task=cfg.task.name, preprocess=cfg.model.preprocess,
                         max_length=cfg.model.max_length, stride=cfg.model.stride, **carried, **extra)


def settings_from_config(config: Any, *, where: str) -> ModelSettings:
    """Read the settings from a transformers config; a model without them is refused."""
    return settings_from_dict(getattr(config, "araft", None), where=where)


def settings_from_dict(raw: Any, *, where: str) -> ModelSettings:
    """The settings from config.json's ``araft`` entry; a model without them is refused."""
    if not isinstance(raw, dict) or "preprocess" not in raw:
        raise ConfigError(f"{where}: config.json has no 'araft' settings (preprocessing mode); "
                          "it was not saved by araft. Pass the preprocessing mode explicitly.")
    mode = raw["preprocess"]
    if mode not in MODES:
        raise ConfigError(f"{where}: unknown preprocessing mode {mode!r} in config.json")
    known = {k: raw[k] for k in ModelSettings.__dataclass_fields__ if k in raw}
    known.setdefault("task", LEGACY_TASK)
    known.setdefault("max_length", 512)
    return ModelSettings(**known)


def attach_settings(config: Any, settings: ModelSettings) -> None:
    config.araft = settings.to_dict()
