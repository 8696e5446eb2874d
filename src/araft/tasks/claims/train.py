"""Claims training inputs: label space, sequence-classification head, cached features, a weighted
loss against class imbalance, and per-label thresholds tuned on dev after training."""
from __future__ import annotations

import logging
from typing import Sequence

import numpy as np

from araft.config import TrainConfig
from araft.corpus.article import Article
from araft.encoding import WordEncoder
from araft.errors import ConfigError, DataError
from araft.features import build_features
from araft.tasks.base_model import features_key, load_base, with_head
from araft.tasks.claims.loss import loss_weights, weighted_trainer
from araft.tasks.claims.sentences import (SentenceCollator, SentenceItem, encode_sentence,
                                          gold_matrix, log_truncated, sentence_items)
from araft.tasks.claims.thresholds import sigmoid, tune_thresholds, tuned_scores
from araft.training import Finalized, Prepared

log = logging.getLogger(__name__)


def label_space(cfg: TrainConfig, train: Sequence[Article], source: str | None) -> list[str]:
    """The declared sentence labels (data.sentence_labels), else those seen in train, sorted: a
    new label (e.g. ``goal``) needs data, not code."""
    if cfg.data.sentence_labels:
        return list(cfg.data.sentence_labels)
    seen = sorted({name for a in train for s in (a.sentences or ()) for name in s.labels})
    if not seen:
        raise DataError("no sentence carries a label, so there is nothing to learn; declare "
                        "data.sentence_labels or annotate some sentences", path=source)
    return seen


def label_rows(items: Sequence[SentenceItem], articles: Sequence[Article], labels: Sequence[str],
               multi_label: bool, source: str | None) -> tuple[np.ndarray, list]:
    """(binary gold matrix, the per-sentence training targets: multi-hot floats or class ids)."""
    gold = gold_matrix(items, articles, labels, source)
    if multi_label:
        return gold, gold.astype(np.float32).tolist()
    counts = gold.sum(axis=1)
    bad = np.flatnonzero(counts != 1)
    if len(bad):
        item = items[int(bad[0])]
        raise DataError(f"task.multi_label=false needs exactly one label per sentence, but "
                        f"sentence [{item.span[0]}, {item.span[1]}) has {int(counts[bad[0]])} "
                        f"({len(bad)} such sentences in this file)",
                        path=source, article_id=articles[item.article].id)
    return gold, gold.argmax(axis=1).tolist()


def claims_compute_metrics(labels: Sequence[str], multi_label: bool, objective: str | None = None):
    """Dev metrics for model selection: micro F1 at threshold 0.5 (multi-label) or of the arg-max
    (single label, where it equals accuracy), as "f1"; macro F1 over all labels as "macro_f1"; with
    an ``objective`` (multi-label with tuned thresholds), "tuned_f1": the micro F1 at the thresholds
    tuned on these same dev scores, the decision rule the saved model will use. Scored by
    araft.metrics, as the final evaluation is."""
    from araft.metrics import multilabel_counts, scores_from_counts

    def compute(eval_pred) -> dict[str, float]:
        logits = np.asarray(eval_pred.predictions[0] if isinstance(eval_pred.predictions, tuple)
                            else eval_pred.predictions)
        labels_in = np.asarray(eval_pred.label_ids)
        if multi_label:
            pred, gold = logits >= 0.0, labels_in >= 0.5  # sigmoid(x) >= 0.5  <=>  x >= 0
        else:
            pred = np.zeros(logits.shape, dtype=bool)
            pred[np.arange(len(logits)), logits.argmax(-1)] = True
            gold = np.zeros(logits.shape, dtype=bool)
            gold[np.arange(len(labels_in)), labels_in.astype(int)] = True
        scores = scores_from_counts(multilabel_counts(gold.astype(np.int8), pred.astype(np.int8),
                                                      labels))
        out = {"f1": scores["micro_f1"], "macro_f1": scores["macro_f1"]}
        if multi_label and objective:
            out["tuned_f1"] = tuned_scores(gold, sigmoid(logits), labels, objective)["micro_f1"]
        return out

    return compute


def claims_features(items: Sequence[SentenceItem], targets: list, encoder: WordEncoder, *,
                    max_length: int, context: int, key: str, cache_dir: str | None, desc: str):
    """One row per sentence (input_ids, [token_type_ids], labels); truncations are logged."""
    records = [{"words": it.words, "prev": it.prev, "next": it.next, "labels": y}
               for it, y in zip(items, targets)]

    def encode_batch(batch: dict) -> dict:
        out: dict[str, list] = {"input_ids": [], "labels": [], "truncated": []}
        if context:
            out["token_type_ids"] = []
        for words, prev, nxt, y in zip(batch["words"], batch["prev"], batch["next"],
                                       batch["labels"]):
            f, cut = encode_sentence(encoder, words, prev, nxt, max_length=max_length,
                                     context=context)
            for name, value in f.items():
                out[name].append(value)
            out["labels"].append(y)
            out["truncated"].append(cut)
        return out

    feats = build_features(records, encode_batch, key=key, cache_dir=cache_dir, desc=desc)
    log_truncated(int(sum(feats["truncated"])), len(feats), max_length, desc)
    return feats.remove_columns("truncated")


def prepare_claims(cfg: TrainConfig, train: Sequence[Article], dev: Sequence[Article] | None,
                   files: dict[str, str]) -> Prepared:
    task = cfg.task
    multi = task.multi_label
    # The data is checked first: a bad file fails before any model is loaded.
    near = dict(context=task.context, context_words=task.context_words)
    train_items = sentence_items(train, with_gold=True, source=files["train"], **near)
    labels = label_space(cfg, train, files["train"])
    train_gold, train_y = label_rows(train_items, train, labels, multi, files["train"])
    if multi and len(labels) > 1 and (train_gold.sum(axis=1) == 1).all():
        log.warning("every train sentence has exactly one label: if the labels exclude each "
                    "other (e.g. OBJ/SUBJ), set task.multi_label=false")
    if task.tfidf_blend and not dev:
        raise ConfigError("task.tfidf_blend chooses TF-IDF's weight on dev: set data.dev")
    if task.tfidf_context:
        from araft.tasks.claims.tfidf_context import check_articles

        check_articles(len({it.article for it in train_items}), files["train"])
    dev_items: list[SentenceItem] = []
    if dev:
        dev_items = sentence_items(dev, with_gold=True, source=files["dev"], **near)
        dev_gold, dev_y = label_rows(dev_items, dev, labels, multi, files["dev"])

    base = load_base(cfg)
    if task.context and getattr(base.config, "type_vocab_size", 0) < 2:
        raise ConfigError(f"{base.path} has no second token type, so task.context must be 0")
    model = with_head(
        "AutoModelForSequenceClassification", cfg, labels,
        problem_type="multi_label_classification" if multi else "single_label_classification")
    label2id = {name: k for k, name in enumerate(labels)}
    encoder, tokenizer = base.encoder, base.tokenizer
    common = dict(max_length=cfg.model.max_length, context=task.context,
                  cache_dir=cfg.paths.cache_dir)

    def key(split: str) -> str:
        return features_key("claims", files[split], base.tokenizer_hash, cfg.model.preprocess,
                            cfg.model.max_length, task.context, task.context_words, multi, label2id)

    train_feats = claims_features(train_items, train_y, encoder, key=key("train"),
                                  desc="encode train", **common)
    dev_feats = None
    if dev:
        dev_feats = claims_features(dev_items, dev_y, encoder, key=key("dev"),
                                    desc="encode dev", **common)
    counts = {name: int(c) for name, c in zip(labels, train_gold.sum(axis=0))}
    log.info("claims: labels %s (train positives %s), %d train / %d dev sentences, %s",
             labels, counts, len(train_items), len(dev_items),
             "multi-label" if multi else "single label")

    trainer_cls = None
    if task.pos_weight:
        weights = loss_weights(train_gold, labels, multi)
        log.info("loss weights %s", dict(zip(labels, weights)))
        trainer_cls = weighted_trainer(weights, multi)

    def finalize(trainer) -> Finalized:
        """Per-label thresholds maximising dev F1 (task.threshold_objective), scored by the very
        path prediction takes; with task.tfidf_blend, TF-IDF's weight beside them."""
        if not (multi and task.tune_thresholds and dev):
            return Finalized()
        from araft.modelio import model_settings
        from araft.tasks.claims.predictor import ClaimsPredictor

        predictor = ClaimsPredictor(trainer.model, tokenizer, model_settings(cfg),
                                    batch_size=cfg.trainer.eval_batch_size)
        scores = predictor.score(dev, with_gold=True, source=files["dev"])
        if task.tfidf_blend:
            from araft.tasks.claims.blend import fit_blend, item_texts

            groups = (([it.article for it in train_items], [it.article for it in scores.items])
                      if task.tfidf_context else None)
            return fit_blend((item_texts(train_items, train), train_gold),
                             (item_texts(scores.items, dev), dev_gold), scores.probs, labels,
                             task.threshold_objective, files["train"], groups)
        thresholds = tune_thresholds(dev_gold, scores.probs, labels, task.threshold_objective)
        log.info("thresholds tuned on dev: %s", thresholds)
        return Finalized({"thresholds": thresholds})

    tuned = multi and task.tune_thresholds
    # Selection scores each checkpoint as the saved model will decide (as the joint task does):
    # at 0.5 a rare label's F1 says little about its ranking. Single label: micro F1 is accuracy,
    # which rewards always answering the majority class; macro F1 finds the minority class too.
    metric = "tuned_f1" if tuned else "f1" if multi else "macro_f1"
    return Prepared(model=model, tokenizer=tokenizer, train_features=train_feats,
                    dev_features=dev_feats, compute_metrics=claims_compute_metrics(
                        labels, multi, task.threshold_objective if tuned else None) if dev else None,
                    metric_name=metric if dev else None,
                    trainer_cls=trainer_cls, finalize=finalize,
                    data_collator=SentenceCollator(tokenizer.pad_token_id, multi))
