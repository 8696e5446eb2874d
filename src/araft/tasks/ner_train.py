"""NER training inputs: label space, model with a token-classification head, cached features."""
from __future__ import annotations

import logging
from typing import Sequence

from araft.config import TrainConfig, load_model
from araft.corpus.article import Article
from araft.encoding import WordEncoder, encode_words
from araft.errors import ConfigError
from araft.features import build_features, fingerprint, tokenizer_digest
from araft.preprocessing import WordPreprocessor
from araft.tasks.ner import sentence_words, tag_list
from araft.training import Prepared, argmax_logits, ner_compute_metrics, token_loss

log = logging.getLogger(__name__)


def check_base_mode(config, mode: str, where: str) -> None:
    """A base model that carries araft settings must be used with its own preprocessing."""
    saved = (getattr(config, "araft", None) or {}).get("preprocess")
    if saved is not None and saved != mode:
        raise ConfigError(f"{where} was pretrained with preprocessing {saved!r} but the model "
                          f"config asks for {mode!r}; set model.preprocess={saved}")


def entity_types(cfg: TrainConfig, train: Sequence[Article]) -> list[str]:
    if cfg.data.entity_labels:
        return list(cfg.data.entity_labels)
    return sorted({e.label for a in train for e in a.entities})


def ner_features(articles: Sequence[Article], encoder: WordEncoder, label2id: dict[str, int], *,
                 max_length: int, stride: int, label_all: bool, key: str,
                 cache_dir: str | None, desc: str):
    """Features (one row per window) and the word count of each sentence, in order."""
    sents = sentence_words(articles, with_gold=True)
    records = [{"words": [w.text for w in s.words], "tags": [label2id[t] for t in s.gold]}
               for s in sents]
    tok = encoder.tokenizer

    def encode_batch(batch: dict) -> dict:
        out: dict[str, list] = {"input_ids": [], "labels": []}
        for ids, tags in zip(encoder.sentence_ids(batch["words"]), batch["tags"]):
            for f in encode_words(ids, tags, max_length=max_length, stride=stride,
                                  cls_id=tok.cls_token_id, sep_id=tok.sep_token_id,
                                  label_all=label_all):
                out["input_ids"].append(f["input_ids"])
                out["labels"].append(f["labels"])
        return out

    feats = build_features(records, encode_batch, key=key, cache_dir=cache_dir, desc=desc)
    return feats, [len(r["words"]) for r in records]


def prepare_ner(cfg: TrainConfig, train: Sequence[Article], dev: Sequence[Article] | None,
                files: dict[str, str]) -> Prepared:
    from transformers import AutoConfig, AutoModelForTokenClassification, AutoTokenizer

    from araft.features import file_digest

    path = cfg.model.name_or_path
    base_config = AutoConfig.from_pretrained(path)
    check_base_mode(base_config, cfg.model.preprocess, path)
    tokenizer = AutoTokenizer.from_pretrained(path)
    if not getattr(tokenizer, "is_fast", False):
        raise ConfigError(f"{path}: araft needs a fast (Rust) tokenizer")
    tags = tag_list(entity_types(cfg, train))
    label2id = {t: i for i, t in enumerate(tags)}
    model = load_model(AutoModelForTokenClassification, cfg.model, num_labels=len(tags),
                       id2label=dict(enumerate(tags)), label2id=label2id)
    encoder = WordEncoder(tokenizer, WordPreprocessor(cfg.model.preprocess))
    common = dict(max_length=cfg.model.max_length, stride=cfg.model.stride,
                  cache_dir=cfg.paths.cache_dir)
    tok_hash = tokenizer_digest(tokenizer)

    def key(split: str, label_all: bool) -> str:
        return fingerprint("ner", file_digest(files[split]), cfg.data.label_map, tok_hash,
                           cfg.model.preprocess, cfg.model.max_length, cfg.model.stride,
                           label_all, label2id)

    train_feats, _ = ner_features(train, encoder, label2id, label_all=True,
                                  key=key("train", True), desc="encode train", **common)
    dev_feats, dev_lengths, compute = None, [], None
    if dev:
        dev_feats, dev_lengths = ner_features(dev, encoder, label2id, label_all=False,
                                              key=key("dev", False), desc="encode dev", **common)
        compute = ner_compute_metrics(dict(enumerate(tags)), dev_lengths)
    fresh = encoder.preprocess.cache_size
    log.info("features: %d train windows, %d dev windows; %s", len(train_feats),
             len(dev_feats) if dev_feats is not None else 0,
             f"{fresh} distinct words preprocessed" if fresh else "loaded from the feature cache")
    return Prepared(model=model, tokenizer=tokenizer, train_features=train_feats,
                    dev_features=dev_feats, compute_metrics=compute,
                    metric_name="f1" if dev else None, preprocess_logits=argmax_logits,
                    compute_loss_func=token_loss)
