"""Joint training inputs: both label spaces, the joint model from the base, cached window features
from the train file and the extra train files (each feeding the losses of the layers it
annotates), the dev metric over both layers, and per-label thresholds tuned on dev."""
from __future__ import annotations

import logging
from typing import Sequence

import numpy as np

from araft.config import TrainConfig
from araft.corpus.article import Article
from araft.encoding import IGNORE, WordEncoder
from araft.errors import ConfigError, DataError
from araft.features import build_features
from araft.tasks.base_model import features_key, load_base, with_head
from araft.tasks.joint.records import (JointCollator, JointItem, Layers, encode_item, file_layers,
                                       joint_items, sentence_targets)
from araft.tasks.joint.schedule import schedule_callbacks
from araft.training import Finalized, Prepared

log = logging.getLogger(__name__)


def joint_labels(cfg: TrainConfig, sources: Sequence[Sequence[Article]],
                 source: str | None = None) -> tuple[list[str], list[str]]:
    """(IOB2 tags, sentence labels): declared in the data config, else seen in the train files."""
    from araft.tasks.claims.train import label_space
    from araft.tasks.ner.words import tag_list

    every = [a for arts in sources for a in arts]
    types = cfg.data.entity_labels or sorted({e.label for a in every for e in a.entities})
    return tag_list(types), label_space(cfg, every, source)


def joint_features(items: Sequence[JointItem], targets: np.ndarray, encoder: WordEncoder,
                   label2id: dict[str, int], *, max_length: int, stride: int, context: int,
                   label_all: bool, key: str, cache_dir: str | None, desc: str):
    """Window features with token labels, sentence targets and the item each window belongs to."""
    records = [{"index": k, "words": [w.text for w in it.words],
                "tags": [label2id[t] for t in it.tags] if it.tags is not None else [],
                "tagged": it.tags is not None, "target": targets[k].tolist(),
                "prev": it.prev, "next": it.next} for k, it in enumerate(items)]

    def encode_batch(batch: dict) -> dict:
        out: dict[str, list] = {"input_ids": [], "labels": [], "sentence_labels": [], "item": []}
        if context:
            out["token_type_ids"] = []
        for k, words, tags, tagged, y, prev, nxt in zip(
                batch["index"], batch["words"], batch["tags"], batch["tagged"], batch["target"],
                batch["prev"], batch["next"]):
            for f in encode_item(encoder, words, tags if tagged else None, prev, nxt,
                                 max_length=max_length, stride=stride, context=context,
                                 label_all=label_all):
                for name in ("input_ids", "labels", *(("token_type_ids",) if context else ())):
                    out[name].append(f[name])
                out["sentence_labels"].append(y)
                out["item"].append(k)
        return out

    return build_features(records, encode_batch, key=key, cache_dir=cache_dir, desc=desc)


def joint_compute_metrics(id2tag: dict[int, str], dev_items: Sequence[JointItem],
                          dev_targets: np.ndarray, window_items: Sequence[int],
                          sentence_labels: Sequence[str], objective: str = "label_f1"):
    """Dev metric: entity F1 (as NER scores it) and sentence micro F1 (on the mean probability of
    a sentence's windows) at the per-label thresholds best on dev (``objective``), and their mean
    as "f1" (over the layers dev annotates). The tuned thresholds are what the saved model will
    use, so selection scores each checkpoint as it would predict; at 0.5 a head still near the
    label prior (early, or beside a large entity-only corpus) would score 0 and lose to any
    checkpoint that is not."""
    from transformers import EvalPrediction

    from araft.metrics import multilabel_counts, scores_from_counts
    from araft.tasks.claims.thresholds import sigmoid, tuned_scores
    from araft.tasks.ner.train import ner_compute_metrics

    label2id = {t: i for i, t in id2tag.items()}
    tagged = [[label2id[t] for t in it.tags] for it in dev_items if it.tags is not None]
    entity_metric = ner_compute_metrics(id2tag, tagged) if tagged else None
    labelled = dev_targets[:, 0] != IGNORE if len(dev_targets) else np.zeros(0, dtype=bool)
    windows = np.asarray(window_items)
    per_item = np.bincount(windows, minlength=len(dev_items)).clip(min=1)[:, None]

    def compute(eval_pred) -> dict[str, float]:
        tags, sentence_logits = eval_pred.predictions
        token_labels, _ = eval_pred.label_ids
        out: dict[str, float] = {}
        if entity_metric is not None:
            scores = entity_metric(EvalPrediction(predictions=tags, label_ids=token_labels))
            out.update({f"entity_{k}": v for k, v in scores.items()})
        if labelled.any():
            probs = sigmoid(sentence_logits)
            mean = np.zeros((len(dev_items), probs.shape[1]))
            np.add.at(mean, windows, probs)
            mean /= per_item
            gold = dev_targets[labelled] == 1
            s = tuned_scores(gold, mean[labelled], sentence_labels, objective)
            at_half = scores_from_counts(multilabel_counts(
                gold.astype(np.int8), (mean[labelled] >= 0.5).astype(np.int8), sentence_labels))
            out.update({"sentence_f1": s["micro_f1"], "sentence_macro_f1": s["macro_f1"],
                        "sentence_f1_at_half": at_half["micro_f1"]})
        layer_f1 = [out[k] for k in ("entity_f1", "sentence_f1") if k in out]
        out["f1"] = float(np.mean(layer_f1)) if layer_f1 else 0.0
        return out

    return compute


def keep_logits(logits, labels):
    """Only the arg-max tag per position and the sentence logits cross to compute_metrics."""
    tags, sentence = logits
    return tags.argmax(dim=-1), sentence


def prepare_joint(cfg: TrainConfig, train: Sequence[Article], dev: Sequence[Article] | None,
                  files: dict[str, str], extra: dict[str, list[Article]]) -> Prepared:
    task = cfg.task
    if not task.multi_label:
        raise ConfigError("task=joint predicts sentence labels as multi-label (sigmoid, per-label "
                          "thresholds); task.multi_label=false is for task=claims")
    # data first: a bad file fails before any model is loaded
    sources = {"train": train, **extra}
    layers = {}
    for name, arts in sources.items():
        try:
            layers[name] = file_layers(arts)
        except DataError as err:
            raise err.at(path=files[name]) from None
    for name, lay in layers.items():
        log.info("joint: %s (%s) feeds the %s loss", name, files[name],
                 " and ".join(k for k, on in (("entity", lay.entities), ("sentence", lay.sentences)) if on)
                 or "no")
        if not (lay.entities or lay.sentences):
            raise ConfigError(f"{files[name]}: no entity and no labelled sentence: nothing to learn from")
    if not any(lay.sentences for lay in layers.values()):
        raise ConfigError("task=joint: no train file has sentence labels (data.train or data.extra_train)")
    tags, labels = joint_labels(cfg, list(sources.values()), files["train"])
    tag2id = {t: i for i, t in enumerate(tags)}
    near = dict(context=task.context, context_words=task.context_words)
    items = {name: joint_items(arts, layers[name], **near) for name, arts in sources.items()}
    targets = {name: sentence_targets(items[name], labels, sources[name], files[name]) for name in sources}
    dev_layers = file_layers(dev) if dev else Layers(False, False)
    if task.tfidf_blend and not dev_layers.sentences:
        raise ConfigError("task.tfidf_blend chooses TF-IDF's weight on dev's sentence labels: "
                          "data.dev must have some")
    if task.tfidf_context:
        from araft.tasks.claims.tfidf_context import check_articles

        check_articles(sum(len({it.article for it, t in zip(items[name], targets[name]) if t[0] != IGNORE})
                           for name in sources), files["train"])
    dev_items = joint_items(dev, dev_layers, **near) if dev else []
    dev_targets = sentence_targets(dev_items, labels, dev, files.get("dev")) if dev else np.zeros((0, len(labels)))

    base = load_base(cfg)
    from araft.tasks.joint.model import build_joint, check_architecture

    check_architecture(base.config, base.path)
    if task.context and getattr(base.config, "type_vocab_size", 0) < 2:
        raise ConfigError(f"{base.path} has no second token type, so task.context must be 0")
    model = build_joint(with_head("AutoModelForTokenClassification", cfg, tags),
                        with_head("AutoModelForSequenceClassification", cfg, labels,
                                  problem_type="multi_label_classification"), labels)
    common = dict(max_length=cfg.model.max_length, stride=cfg.model.stride, context=task.context,
                  cache_dir=cfg.paths.cache_dir)

    def key(split: str, label_all: bool) -> str:
        return features_key("joint", files[split], base.tokenizer_hash, cfg.model.preprocess,
                            cfg.model.max_length, cfg.model.stride, task.context,
                            task.context_words, label_all, tag2id, labels)

    import datasets

    train_feats = datasets.concatenate_datasets([
        joint_features(items[n], targets[n], base.encoder, tag2id, label_all=True,
                       key=key(n, True), desc=f"encode {n}", **common) for n in sources])
    dev_feats, compute = None, None
    if dev:
        dev_feats = joint_features(dev_items, dev_targets, base.encoder, tag2id, label_all=False,
                                   key=key("dev", False), desc="encode dev", **common)
        compute = joint_compute_metrics(dict(enumerate(tags)), dev_items, dev_targets,
                                        dev_feats["item"], labels, task.threshold_objective)
        dev_feats = dev_feats.remove_columns("item")
    train_feats = train_feats.remove_columns("item")
    every = np.concatenate([t for t in targets.values()])
    gold = every[every[:, 0] != IGNORE] == 1
    if task.pos_weight:
        from araft.tasks.claims.loss import loss_weights

        weights = loss_weights(gold, labels, multi_label=True)
        model.pos_weight.copy_(model.pos_weight.new_tensor(weights))
        log.info("sentence loss weights %s", dict(zip(labels, weights)))
    model.sentence_loss_weight = task.sentence_loss_weight
    log.info("joint: %d tags, sentence labels %s (train positives %s); %d train / %d dev windows",
             len(tags), labels, dict(zip(labels, gold.sum(axis=0).tolist())), len(train_feats),
             len(dev_feats) if dev_feats is not None else 0)

    def finalize(trainer) -> Finalized:
        """Per-label thresholds maximising dev F1, scored by the very path prediction takes; with
        task.tfidf_blend, TF-IDF's weight beside them (fit on every train sentence with labels)."""
        if not (task.tune_thresholds and dev and dev_layers.sentences):
            return Finalized()
        from araft.modelio import model_settings
        from araft.tasks.claims.thresholds import tune_thresholds
        from araft.tasks.joint.predictor import JointPredictor

        predictor = JointPredictor(trainer.model, base.tokenizer, model_settings(cfg),
                                   batch_size=cfg.trainer.eval_batch_size)
        scores = predictor.score(dev, dev_layers)
        if task.tfidf_blend:
            from araft.tasks.claims.blend import fit_blend, item_texts

            texts, gold, groups = [], [], []
            for name, arts in sources.items():
                keep = targets[name][:, 0] != IGNORE  # whole articles: those without sentence labels
                texts += [t for t, k in zip(item_texts(items[name], arts), keep) if k]
                groups += [(name, it.article) for it, k in zip(items[name], keep) if k]
                gold.append(targets[name][keep] == 1)
            return fit_blend((texts, np.concatenate(gold)),
                             (item_texts(scores.items, dev), dev_targets == 1),
                             scores.sentence_probs, labels, task.threshold_objective,
                             files["train"], (groups, [it.article for it in scores.items])
                             if task.tfidf_context else None)
        thresholds = tune_thresholds(dev_targets == 1, scores.sentence_probs, labels,
                                     task.threshold_objective)
        log.info("thresholds tuned on dev: %s", thresholds)
        return Finalized({"thresholds": thresholds})

    return Prepared(model=model, tokenizer=base.tokenizer, train_features=train_feats,
                    dev_features=dev_feats, compute_metrics=compute,
                    metric_name="f1" if dev else None, preprocess_logits=keep_logits,
                    finalize=finalize, data_collator=JointCollator(base.tokenizer.pad_token_id),
                    callbacks=schedule_callbacks(task.sentence_loss_schedule,
                                                 task.sentence_loss_weight))
