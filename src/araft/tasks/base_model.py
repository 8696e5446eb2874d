"""The start of every task's ``prepare``: the base model's config and fast tokenizer, checked
against the model config; the word encoder with the model's preprocessing; the model with a new
head; and the cache key of a split's features."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from araft.config import TrainConfig, load_model
from araft.encoding import WordEncoder
from araft.errors import ConfigError
from araft.features import file_digest, fingerprint, tokenizer_digest
from araft.preprocessing import WordPreprocessor


@dataclass
class BaseModel:
    path: str
    config: Any              # the base model's transformers config
    tokenizer: Any
    encoder: WordEncoder
    tokenizer_hash: str      # part of every feature cache key


def check_base_mode(config, mode: str, where: str) -> None:
    """A base model that carries araft settings must be used with its own preprocessing."""
    saved = (getattr(config, "araft", None) or {}).get("preprocess")
    if saved is not None and saved != mode:
        raise ConfigError(f"{where} was pretrained with preprocessing {saved!r} but the model "
                          f"config asks for {mode!r}; set model.preprocess={saved}")


def load_base(cfg: TrainConfig) -> BaseModel:
    from transformers import AutoConfig, AutoTokenizer

    path = cfg.model.name_or_path
    config = AutoConfig.from_pretrained(path)
    check_base_mode(config, cfg.model.preprocess, path)
    tokenizer = AutoTokenizer.from_pretrained(path)
    if not getattr(tokenizer, "is_fast", False):  # word offsets and batch encoding need it
        raise ConfigError(f"{path}: araft needs a fast (Rust) tokenizer")
    encoder = WordEncoder(tokenizer, WordPreprocessor(cfg.model.preprocess))
    return BaseModel(path, config, tokenizer, encoder, tokenizer_digest(tokenizer))


def with_head(auto_class: str, cfg: TrainConfig, labels: Sequence[str], **kwargs: Any):
    """The base model with a new head over ``labels`` (ids in list order), e.g.
    ``with_head("AutoModelForTokenClassification", cfg, tags)``."""
    import transformers

    return load_model(getattr(transformers, auto_class), cfg.model, num_labels=len(labels),
                      id2label=dict(enumerate(labels)),
                      label2id={name: i for i, name in enumerate(labels)}, **kwargs)


def features_key(task: str, path: str, *parts: Any) -> str:
    """The feature cache key of a split: the task, the file's content and what encoding used."""
    return fingerprint(task, file_digest(path), *parts)
