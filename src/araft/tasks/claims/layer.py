"""The sentence layer in reports, comparisons and model cards: labels compared per sentence."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Sequence

from araft.corpus.article import Article
from araft.errors import AraftError
from araft.tasks.base import Layer, LayerWords

NO_LABEL = "(none)"  # a sentence without any label, in the distribution table


class SentenceLayer(Layer):
    key = "sentences"
    words = LayerWords(
        what="label", unit="labelled sentences", no_gold="no labelled sentences",
        missing=("has no sentence labels (not one sentence carries one; CoNLL and other NER "
                 "formats have none)"),
        scoring="per sentence and label", per_key="per_label", exact_metric="exact_match",
        distribution_title="Gold sentences per label", card_what="label",
        card_scoring="per sentence label", card_pooled="labels", card_averaged="labels",
        hub_task=("text-classification", "Sentence classification"))
    card_metrics = {
        "micro_f1": ("f1", "micro", "micro F1 over sentence labels"),
        "macro_f1": ("f1", "macro", "macro F1 over sentence labels"),
        "micro_precision": ("precision", "micro", "micro precision over sentence labels"),
        "micro_recall": ("recall", "micro", "micro recall over sentence labels"),
    }

    def gold_count(self, articles: Sequence[Article]) -> int:
        return sum(1 for a in articles for s in a.sentences or [] if s.labels)

    def read_sentences(self, articles: list[Article], path: str) -> list:
        from araft.reporting.collect import claims_sentences

        return claims_sentences(articles, path)

    def classes_of(self, sentence) -> Iterable[str]:
        return sentence.gold + sentence.pred

    def label_order(self, seen: set[str], split_metrics: Sequence[dict[str, Any]]) -> list[str]:
        """The model's label order (metrics.json "labels"), then any other label seen."""
        declared = next((m.get("labels") for m in split_metrics if m.get("labels")), None)
        if declared:
            return list(declared) + sorted(seen - set(declared))
        return sorted(seen)

    def gold_key(self, sentence) -> tuple:
        return sentence.article_id, sentence.offset, sentence.text, tuple(sorted(sentence.gold))

    def counts(self, sentences: Sequence, labels: Sequence[str]):
        import numpy as np

        from araft.metrics.bootstrap import multilabel_counts

        def matrix(side: str) -> np.ndarray:
            rows = [[name in getattr(s, side) for name in labels] for s in sentences]
            return np.array(rows, dtype=np.int8).reshape(-1, len(labels))

        return multilabel_counts(matrix("gold"), matrix("pred"), labels)

    def compare_classes(self, named: Sequence[tuple[str, Sequence[str]]]) -> list[str]:
        """One label set for all runs: a label one model lacks cannot be scored on it."""
        if len({tuple(labels) for _, labels in named}) > 1:
            have = "; ".join(f"{lab}: {', '.join(labels)}" for lab, labels in named)
            raise AraftError(f"cannot compare claims runs with different label sets: {have}")
        return list(named[0][1])

    def gold_and_predicted(self, sentence) -> tuple[Sequence[str], Sequence[str]]:
        return sentence.gold or (NO_LABEL,), sentence.pred or (NO_LABEL,)

    def sizes(self, sentences: Sequence) -> tuple[list[str], list[Any]]:
        return (["gold labelled sentences", "predicted labelled sentences"],
                [sum(bool(s.gold) for s in sentences), sum(bool(s.pred) for s in sentences)])

    def confusion_blocks(self, run, plot_dir: Path, written: list[Path]) -> list:
        from araft.reporting import plots
        from araft.reporting.confusion import claims_confusion, label_set_confusion
        from araft.reporting.doc import Figure, Table

        blocks: list = []
        for name, split in run.splits.items():
            per = claims_confusion(split.sentences, run.labels)
            rows = [[label, c.tp, c.fp, c.fn, c.tn] for label, c in per.items()]
            blocks.append(Table(["label", "TP (gold yes, predicted yes)",
                                 "FP (gold no, predicted yes)", "FN (gold yes, predicted no)",
                                 "TN (gold no, predicted no)"], rows,
                                f"{name}: per-label 2x2 confusion over sentences"))
            fig = plots.two_by_two({label: [[c.tp, c.fn], [c.fp, c.tn]] for label, c in per.items()},
                                   plot_dir / f"confusion_{name}{run.part}.png")
            if fig:
                written.append(fig)
                blocks.append(Figure(f"{plot_dir.name}/{fig.name}",
                                     f"{name}: per-label 2x2 (rows gold, columns predicted)."))
            axis, matrix = label_set_confusion(split.sentences, run.labels)
            blocks.append(Table(["gold \\ predicted"] + axis, [[a] + r for a, r in zip(axis, matrix)],
                                f"{name}: label sets (sentences)"))
        return blocks

    def errors(self, sentences: Sequence, labels: Sequence[str], top: int) -> tuple[list, list]:
        from araft.reporting.error_examples import claims_errors

        return claims_errors(sentences, labels, top)

    def per_class_extra(self) -> list[str]:
        return ["ROC AUC", "average precision", "threshold"]

    def per_class_cells(self, row: dict[str, Any], threshold: Any) -> list:
        from araft.reporting.doc import fmt

        return [fmt(row.get("roc_auc")), fmt(row.get("average_precision")), fmt(threshold)]
