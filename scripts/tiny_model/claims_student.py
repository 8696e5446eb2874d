"""The student of the claims stage (claims_silver.py): the encoder learning the TF-IDF teacher's
sentence probabilities (soft targets) with a sentence head, alone or beside the CRF's entity tags
with a token head (araft's joint model), for one pass; and how well it ranks the corpus's dev
sentences before any fine-tuning."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from scripts.tiny_model.claims_silver import teacher

ENTITY_TYPES = ("LOC", "MISC", "ORG", "PERS")  # the CRF's, ANERcorp's


def student_features(encoder, rows: list, max_length: int):
    """A dataset of ``[CLS] words [SEP]`` ids (claims task encoding, no context) and soft targets."""
    import datasets

    from araft.tasks.claims.sentences import encode_sentence

    ids, labels, cut = [], [], 0
    for words, target in rows:
        feats, truncated = encode_sentence(encoder, words, [], [], max_length=max_length, context=0)
        ids.append(feats["input_ids"])
        labels.append(target)
        cut += truncated
    return datasets.Dataset.from_dict({"input_ids": ids, "labels": labels}), cut


def joint_features(encoder, rows: list, tags: list, max_length: int, stride: int):
    """The joint task's windows of each sentence (araft.tasks.joint.records.encode_item: a long sentence
    gets overlapping windows, nothing is cut) with the CRF's tags and the sentence's soft targets."""
    import datasets

    from araft.tasks.joint.records import encode_item
    from araft.tasks.ner.words import tag_list

    tag2id = {t: i for i, t in enumerate(tag_list(ENTITY_TYPES))}
    out: dict[str, list] = {"input_ids": [], "labels": [], "sentence_labels": []}
    for (words, target), seq in zip(rows, tags):
        for f in encode_item(encoder, words, [tag2id[t] for t in seq], [], [], max_length=max_length,
                             stride=stride, context=0, label_all=True):
            out["input_ids"].append(f["input_ids"])
            out["labels"].append(f["labels"])
            out["sentence_labels"].append(target)
    return datasets.Dataset.from_dict(out)


def train_student(cfg, rows: list, run_root: Path, tags: list | None = None,
                  sentence_weight: float = 1.0) -> dict:
    """One pass of ``cfg``'s trainer from ``cfg.model`` over the soft targets: with ``tags`` (the
    CRF's, one list per sentence) araft's joint model learns both, the sentence loss weighted by
    ``sentence_weight``, else a sequence classifier learns the targets alone. The student is saved to
    ``run_root/model``; returns the training figures."""
    from benchmarks.claims_quality import LABELS

    from araft.tasks.base_model import load_base, with_head
    from araft.tasks.claims.sentences import SentenceCollator
    from araft.training import Prepared, run_trainer

    base = load_base(cfg)
    sentence_model = with_head("AutoModelForSequenceClassification", cfg, list(LABELS),
                               problem_type="multi_label_classification")
    if tags is None:
        model = sentence_model
        features, truncated = student_features(base.encoder, rows, cfg.model.max_length)
        collator = SentenceCollator(base.tokenizer.pad_token_id, multi_label=True)
    else:
        from araft.tasks.joint.model import build_joint
        from araft.tasks.joint.records import JointCollator
        from araft.tasks.ner.words import tag_list

        model = build_joint(with_head("AutoModelForTokenClassification", cfg, tag_list(ENTITY_TYPES)),
                            sentence_model, list(LABELS))
        model.sentence_loss_weight = sentence_weight
        features, truncated = joint_features(base.encoder, rows, tags, cfg.model.max_length,
                                             cfg.model.stride), 0
        collator = JointCollator(base.tokenizer.pad_token_id)
    prepared = Prepared(model=model, tokenizer=base.tokenizer, train_features=features,
                        dev_features=None, compute_metrics=None, metric_name=None, data_collator=collator)
    trainer, output = run_trainer(cfg, prepared, run_root)
    trainer.save_model(str(run_root / "model"))
    return {"train_loss": round(float(output.training_loss), 4), "steps": int(output.global_step),
            "truncated_sentences": int(truncated), "entity_head": tags is not None,
            **({"sentence_weight": sentence_weight} if tags is not None else {})}


def student_dev_auc(model_dir: Path, cfg) -> dict:
    """The student's ROC-AUC per label on the corpus's dev before any fine-tuning, beside the
    teacher's: how much of the teacher's ranking it took in."""
    import torch
    from sklearn.metrics import roc_auc_score

    from araft.corpus.jsonl import read_jsonl
    from araft.tasks.base_model import load_base
    from araft.tasks.claims.sentences import SentenceCollator, sentence_items
    from benchmarks.claims_quality import DATA, LABELS
    from scripts.tiny_model.silver import load_student

    articles = read_jsonl(DATA / "dev.jsonl")
    items = sentence_items(articles, with_gold=True)
    gold = np.array([[lab in it.gold for lab in LABELS] for it in items])
    base = load_base(cfg)
    features, _ = student_features(base.encoder, [(it.words, [0.0] * len(LABELS)) for it in items],
                                   cfg.model.max_length)
    model = load_student(model_dir).eval()
    joint = hasattr(model, "sentence_classifier")  # araft's joint model: its sentence head's logits
    collate = SentenceCollator(base.tokenizer.pad_token_id, multi_label=True)
    probs = []
    with torch.no_grad():
        for i in range(0, len(features), 64):
            batch = collate([features[k] for k in range(i, min(i + 64, len(features)))])
            batch.pop("labels")
            out = model(**batch)
            probs.append(torch.sigmoid(out.sentence_logits if joint else out.logits).numpy())
    student = np.concatenate(probs)
    # the teacher (cached) reads each sentence's text as written, as it read the corpus
    texts = [articles[it.article].text[it.span[0]:it.span[1]] for it in items]
    teacher_probs = teacher()[0].probs(texts)
    return {lab: {"student": round(float(roc_auc_score(gold[:, j], student[:, j])), 4),
                  "teacher": round(float(roc_auc_score(gold[:, j], teacher_probs[:, j])), 4)}
            for j, lab in enumerate(LABELS)}
