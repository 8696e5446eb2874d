"""NER training inputs: label space, model with a token-classification head, cached features,
the token loss and the dev metric."""
from __future__ import annotations

import logging
from typing import Sequence

from araft.config import TrainConfig
from araft.corpus.article import Article
from araft.encoding import WordEncoder, encode_words
from araft.features import build_features
from araft.tasks.base_model import features_key, load_base, with_head
from araft.tasks.ner.words import sentence_words, tag_list
from araft.training import Prepared

log = logging.getLogger(__name__)


def entity_types(cfg: TrainConfig, train: Sequence[Article]) -> list[str]:
    if cfg.data.entity_labels:
        return list(cfg.data.entity_labels)
    return sorted({e.label for a in train for e in a.entities})


def ner_features(articles: Sequence[Article], encoder: WordEncoder, label2id: dict[str, int], *,
                 max_length: int, stride: int, label_all: bool, key: str,
                 cache_dir: str | None, desc: str):
    """Features (one row per window) and the gold tag ids of each sentence, in order."""
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
    return feats, [r["tags"] for r in records]


def prepare_ner(cfg: TrainConfig, train: Sequence[Article], dev: Sequence[Article] | None,
                files: dict[str, str], extra: dict[str, list[Article]] | None = None) -> Prepared:
    """``extra``: more train files by name (data.extra_train), concatenated after train."""
    from araft.errors import ConfigError

    sources = {"train": train, **(extra or {})}
    for name, arts in sources.items():
        if not any(a.entities for a in arts):
            raise ConfigError(f"{files[name]}: no entity in this train file: task=ner cannot learn "
                              "from it (sentence-only data trains task=joint's sentence head)")
    base = load_base(cfg)
    tags = tag_list(entity_types(cfg, [a for arts in sources.values() for a in arts]))
    label2id = {t: i for i, t in enumerate(tags)}
    model = with_head("AutoModelForTokenClassification", cfg, tags)
    common = dict(max_length=cfg.model.max_length, stride=cfg.model.stride,
                  cache_dir=cfg.paths.cache_dir)

    def key(split: str, label_all: bool) -> str:
        return features_key("ner", files[split], cfg.data.label_map, base.tokenizer_hash,
                            cfg.model.preprocess, cfg.model.max_length, cfg.model.stride,
                            label_all, label2id)

    import datasets

    train_feats = datasets.concatenate_datasets([
        ner_features(arts, base.encoder, label2id, label_all=True, key=key(name, True),
                     desc=f"encode {name}", **common)[0] for name, arts in sources.items()])
    dev_feats, compute = None, None
    if dev:
        dev_feats, dev_tags = ner_features(dev, base.encoder, label2id, label_all=False,
                                           key=key("dev", False), desc="encode dev", **common)
        compute = ner_compute_metrics(dict(enumerate(tags)), dev_tags)
    fresh = base.encoder.preprocess.cache_size
    log.info("features: %d train windows, %d dev windows; %s", len(train_feats),
             len(dev_feats) if dev_feats is not None else 0,
             f"{fresh} distinct words preprocessed" if fresh else "loaded from the feature cache")
    return Prepared(model=model, tokenizer=base.tokenizer, train_features=train_feats,
                    dev_features=dev_feats, compute_metrics=compute,
                    metric_name="f1" if dev else None, preprocess_logits=argmax_logits,
                    compute_loss_func=token_loss)


def token_loss(outputs, labels, num_items_in_batch=None):
    """Cross-entropy summed over labelled tokens, divided by the labelled tokens of the whole
    global batch (all processes, all accumulation steps).

    BERT's built-in loss is a per-process mean, yet its forward takes **kwargs, so the Trainer
    believes it is normalised globally and multiplies it by the number of processes: with two
    processes the logged loss and the gradients double. This loss is what the Trainer expects.
    """
    import torch

    logits = outputs["logits"] if isinstance(outputs, dict) else outputs[0]
    total = torch.nn.functional.cross_entropy(
        logits.float().view(-1, logits.size(-1)), labels.view(-1).to(logits.device),
        ignore_index=-100, reduction="sum")
    if num_items_in_batch is None:
        return total / (labels != -100).sum().clamp(min=1)
    if torch.is_tensor(num_items_in_batch):
        num_items_in_batch = num_items_in_batch.to(total.device)
    return total / num_items_in_batch


def argmax_logits(logits, labels):
    """Keep eval memory small: only the arg-max tag per position crosses to compute_metrics."""
    return logits.argmax(dim=-1)


def ner_compute_metrics(id2label: dict[int, str], sentence_tags: list[list[int]]):
    """compute_metrics for token classification: eval features label each word exactly once
    (owned first subwords), in sentence order, so the flat labelled positions split back into
    sentences by their word counts. The gold ids must come back in exactly that order: an
    evaluation that reorders windows would cut entities at the wrong sentence boundaries."""
    import numpy as np

    from seqeval.metrics import f1_score, precision_score, recall_score
    from seqeval.scheme import IOB2

    from araft.corpus.tags import repair_iob2

    sentence_lengths = [len(t) for t in sentence_tags]
    expected = np.array([t for s in sentence_tags for t in s], dtype=np.int64)

    def compute(eval_pred) -> dict[str, float]:
        preds, labels = eval_pred.predictions, eval_pred.label_ids
        mask = labels != -100
        flat_p, flat_g = preds[mask], labels[mask]
        if len(flat_g) != len(expected):
            raise RuntimeError(f"evaluation saw {len(flat_g)} words, expected {len(expected)}")
        if not np.array_equal(flat_g, expected):
            raise RuntimeError("evaluation saw the dev words in another order than the dev file's")
        gold, pred, i = [], [], 0
        for n in sentence_lengths:
            gold.append([id2label[int(x)] for x in flat_g[i:i + n]])
            pred.append(repair_iob2([id2label[int(x)] for x in flat_p[i:i + n]]))
            i += n
        kw = {"mode": "strict", "scheme": IOB2, "zero_division": 0}
        return {"f1": f1_score(gold, pred, **kw), "precision": precision_score(gold, pred, **kw),
                "recall": recall_score(gold, pred, **kw),
                "macro_f1": f1_score(gold, pred, average="macro", **kw)}

    return compute
