"""The transformers examples' ``run_ner.py`` recipe (transformers 5 API), for the quality comparison.

What the recipe does, kept as it is: every word through ``ArabertPreprocessor`` (AraBERT's card asks for
it; run_ner.py itself has no preprocessing hook), each sentence tokenized with ``is_split_into_words``,
``truncation=True`` at ``max_length`` (no windows: what lies beyond is dropped), the label on the first
subword of each word and -100 elsewhere, ``DataCollatorForTokenClassification``, a plain ``Trainer``
evaluated each epoch, and ``compute_metrics`` as run_ner.py writes it: arg-max, the positions whose label
is not -100, seqeval's default (conlleval) mode, ``overall_f1`` = the micro average.

What is added to measure it, not to change it:
- the same predictions scored on the FULL gold, word by word: a word the truncation cut off (or that
  tokenized to nothing) is predicted O, so its entity counts as missed; araft's scorer (strict IOB2,
  predicted I- starts repaired to B-, as araft does to its own output), so both methods are scored alike;
- the best epoch is the one run_ner.py would keep with ``load_best_model_at_end`` and
  ``metric_for_best_model="f1"`` (its own figure, first best on ties), read from the evaluation history
  instead of saved checkpoints: the recipe is spared the checkpoint writes araft makes, in its favour;
- the time of each evaluation from the start of the job (common.epoch_clock).
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Sequence

from benchmarks import common

IGNORE = -100


@dataclass(frozen=True)
class Budget:
    """The training budget both methods get, read from araft's composed config."""
    epochs: float
    lr: float
    batch_size: int
    eval_batch_size: int
    max_length: int
    warmup_ratio: float
    weight_decay: float
    scheduler: str
    seed: int
    max_steps: int = -1
    logging_steps: int = 20

    @classmethod
    def from_config(cls, cfg) -> "Budget":
        tc = cfg.trainer
        return cls(epochs=tc.epochs, lr=tc.lr, batch_size=tc.batch_size,
                   eval_batch_size=tc.eval_batch_size, max_length=cfg.model.max_length,
                   warmup_ratio=tc.warmup_ratio, weight_decay=tc.weight_decay,
                   scheduler=tc.scheduler, seed=cfg.seed, max_steps=tc.max_steps,
                   logging_steps=tc.logging_steps)


def aligner(tokenizer, max_length: int, *, keep_word_index: bool = False):
    """run_ner.py's ``tokenize_and_align_labels`` (label_all_tokens=False, no padding).

    ``ner_tags`` hold label ids. keep_word_index adds ``word_index``, the word of each labelled
    position in order, and ``truncated``, whether the tokenizer cut the sentence (measurement only;
    the Trainer drops both columns before the model sees them)."""
    def tokenize_and_align_labels(examples):
        tokenized = tokenizer(examples["tokens"], padding=False, truncation=True,
                              max_length=max_length, is_split_into_words=True)
        labels, index = [], []
        for i, label in enumerate(examples["ner_tags"]):
            previous, ids, words = None, [], []
            for word_idx in tokenized.word_ids(batch_index=i):
                if word_idx is None or word_idx == previous:
                    ids.append(IGNORE)
                else:
                    ids.append(label[word_idx])
                    words.append(word_idx)
                previous = word_idx
            labels.append(ids)
            index.append(words)
        tokenized["labels"] = labels
        if keep_word_index:
            tokenized["word_index"] = index
            tokenized["truncated"] = [bool(e.overflowing) for e in tokenized.encodings]
        return tokenized

    return tokenize_and_align_labels


def read_split(path: Path, prep, l2i: dict[str, int]):
    """(words, IOB2 gold tags, datasets rows) of a CoNLL file, as the recipe reads it."""
    from araft.corpus.tags import repair_iob2
    from benchmarks.data_path import read_conll

    sents = [(words, repair_iob2(tags)) for words, tags in read_conll(path)]
    rows = [{"tokens": [prep.preprocess(w) for w in words], "ner_tags": [l2i[t] for t in tags]}
            for words, tags in sents]
    return [s[0] for s in sents], [s[1] for s in sents], rows


def full_gold_tags(n_words: int, word_index: Sequence[int], predicted: Sequence[str]) -> list[str]:
    """One tag per word of the whole sentence: the prediction at a word's first subword, O for a
    word the recipe never saw (cut off by truncation, or no subwords)."""
    tags = ["O"] * n_words
    for w, tag in zip(word_index, predicted):
        tags[w] = tag
    return tags


def truncation_loss(gold: Sequence[Sequence[str]], word_index: Sequence[Sequence[int]],
                    truncated: Sequence[bool]) -> dict:
    """What the recipe cannot predict: words never labelled (``words_cut``: past the last kept word
    of a truncated sentence; the rest had no subwords, e.g. a lone tatweel that AraBERT preprocessing
    deletes) and gold entities with at least one such word (certain misses under strict scoring;
    ``entities_lost_whole``: every word of it)."""
    from araft.metrics.bootstrap import iob2_entities

    out = dict.fromkeys(("sentences", "sentences_cut", "words", "words_lost", "words_cut",
                         "entities", "entities_cut", "entities_lost_whole"), 0)
    for tags, seen, cut in zip(gold, word_index, truncated):
        last = max(seen, default=-1)
        seen = set(seen)
        out["sentences"] += 1
        out["sentences_cut"] += cut
        out["words"] += len(tags)
        out["words_lost"] += len(tags) - len(seen)
        out["words_cut"] += (len(tags) - 1 - last) if cut else 0
        for _, start, end in iob2_entities(tags):
            missing = sum(1 for w in range(start, end) if w not in seen)
            out["entities"] += 1
            out["entities_cut"] += missing > 0
            out["entities_lost_whole"] += missing == end - start
    return out


def recipe_scores(gold_seen: list[list[str]], pred_seen: list[list[str]]) -> dict[str, float]:
    """run_ner.py's figure: evaluate's seqeval (default mode, no scheme), micro average."""
    from seqeval.metrics import classification_report

    rep = classification_report(gold_seen, pred_seen, output_dict=True, zero_division=0)["micro avg"]
    return {"f1": rep["f1-score"], "precision": rep["precision"], "recall": rep["recall"]}


def full_gold_f1(gold: list[list[str]], pred: list[list[str]]) -> float:
    from araft.metrics.bootstrap import entity_counts, scores_from_counts
    from araft.corpus.tags import repair_iob2

    return scores_from_counts(entity_counts(gold, [repair_iob2(p) for p in pred]))["micro_f1"]


def run(train_path: Path, dev_path: Path, model_path: Path, budget: Budget, out_dir: Path,
        t0: float | None = None, c0: float | None = None) -> dict:
    """Fine-tune with the recipe, evaluate each epoch; returns the history, the best epoch's full-gold
    word predictions, the truncation losses and the times (wall seconds from ``t0``, CPU seconds
    from ``c0``)."""
    import datasets
    import numpy as np
    import torch
    from arabert.preprocess import ArabertPreprocessor
    from transformers import (AutoModelForTokenClassification, AutoTokenizer,
                              DataCollatorForTokenClassification, Trainer, TrainingArguments,
                              set_seed)

    from benchmarks.data_path import label2id

    t0 = time.perf_counter() if t0 is None else t0
    c0 = time.process_time() if c0 is None else c0
    set_seed(budget.seed)
    l2i = label2id()
    label_list = list(l2i)
    prep = ArabertPreprocessor("bert-base-arabertv02")
    tokenizer = AutoTokenizer.from_pretrained(model_path)
    _, train_gold, train_rows = read_split(train_path, prep, l2i)
    dev_words, dev_gold, dev_rows = read_split(dev_path, prep, l2i)
    align = aligner(tokenizer, budget.max_length, keep_word_index=True)
    train = datasets.Dataset.from_list(train_rows).map(align, batched=True,
                                                       remove_columns=["tokens", "ner_tags"])
    dev = datasets.Dataset.from_list(dev_rows).map(align, batched=True,
                                                   remove_columns=["tokens", "ner_tags"])
    dev_index = [list(x) for x in dev["word_index"]]
    model = AutoModelForTokenClassification.from_pretrained(
        model_path, num_labels=len(label_list), label2id=l2i, id2label=dict(enumerate(label_list)),
        dtype=torch.float32)
    history: list[dict] = []

    def compute_metrics(p):
        predictions, labels = p
        predictions = np.argmax(predictions, axis=2)
        pred_seen = [[label_list[q] for q, g in zip(pr, la) if g != IGNORE]
                     for pr, la in zip(predictions, labels)]
        gold_seen = [[label_list[g] for g in la if g != IGNORE] for la in labels]
        scores = recipe_scores(gold_seen, pred_seen)
        full = [full_gold_tags(len(ws), idx, pr) for ws, idx, pr in zip(dev_words, dev_index, pred_seen)]
        history.append({"predictions": full, "full_gold_f1": full_gold_f1(dev_gold, full),
                        **{f"recipe_{k}": v for k, v in scores.items()}})
        return scores

    args = TrainingArguments(
        output_dir=str(out_dir / "trainer"), learning_rate=budget.lr,
        num_train_epochs=budget.epochs, max_steps=budget.max_steps,
        per_device_train_batch_size=budget.batch_size,
        per_device_eval_batch_size=budget.eval_batch_size,
        warmup_steps=budget.warmup_ratio,  # a float < 1 is a ratio in transformers 5
        weight_decay=budget.weight_decay, lr_scheduler_type=budget.scheduler,
        eval_strategy="epoch", save_strategy="no", logging_steps=budget.logging_steps,
        seed=budget.seed, report_to="none", use_cpu=True, disable_tqdm=True)
    clock = common.epoch_clock(t0, c0)
    trainer = Trainer(model=model, args=args, train_dataset=train, eval_dataset=dev,
                      processing_class=tokenizer, data_collator=DataCollatorForTokenClassification(tokenizer),
                      compute_metrics=compute_metrics, callbacks=[clock])
    trainer.train()
    if not history:
        raise RuntimeError("the recipe never evaluated (no epoch finished)")
    best = max(range(len(history)), key=lambda i: history[i]["recipe_f1"])
    epochs = [{**clock.events[i], **{k: v for k, v in h.items() if k != "predictions"}}
              for i, h in enumerate(history)]
    train_index = [list(x) for x in train["word_index"]]
    return {"budget": asdict(budget), "epochs": epochs, "best": best,
            "time_to_best_s": epochs[best]["t_s"], "train_end_s": epochs[-1]["t_s"],
            "cpu_to_best_s": epochs[best]["cpu_s"],
            "steps": trainer.state.global_step, "train_features": len(train),
            "predictions": history[best]["predictions"],
            "dev_truncation": truncation_loss(dev_gold, dev_index, dev["truncated"]),
            "train_truncation": truncation_loss(train_gold, train_index, train["truncated"])}
