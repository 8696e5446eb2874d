"""The entity layer in reports, comparisons and model cards: entities compared on words."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Sequence

from araft.corpus.article import Article
from araft.tasks.base import Layer, LayerWords

_SCORED = "entity-level, strict IOB2, seqeval"


class EntityLayer(Layer):
    key = "entities"
    words = LayerWords(
        what="type", unit="entities", no_gold="no gold entities",
        missing="has no entity annotations",
        scoring="entity-level, strict IOB2 on words", per_key="per_type", exact_metric="accuracy",
        distribution_title="Gold entities per type", card_what="entity type",
        card_scoring="entity-level, strict IOB2 (seqeval)", card_pooled="entities",
        card_averaged="types", hub_task=("token-classification", "Named entity recognition"))
    card_metrics = {
        "micro_f1": ("f1", "micro", f"micro F1 ({_SCORED})"),
        "macro_f1": ("f1", "macro", f"macro F1 over entity types ({_SCORED})"),
        "micro_precision": ("precision", "micro", f"micro precision ({_SCORED})"),
        "micro_recall": ("recall", "micro", f"micro recall ({_SCORED})"),
    }

    def gold_count(self, articles: Sequence[Article]) -> int:
        return sum(len(a.entities) for a in articles)

    def read_sentences(self, articles: list[Article], path: str) -> list:
        from araft.reporting.collect import ner_sentences

        return ner_sentences(articles)

    def classes_of(self, sentence) -> Iterable[str]:
        return (sp.label for sp in sentence.gold + sentence.pred)

    def gold_key(self, sentence) -> tuple:
        return sentence.article_id, sentence.offset, sentence.text, tuple(sentence.gold_tags)

    def counts(self, sentences: Sequence, labels: Sequence[str]):
        from araft.metrics.bootstrap import entity_counts

        return entity_counts([s.gold_tags for s in sentences], [s.pred_tags for s in sentences],
                             types=labels)

    def compare_classes(self, named: Sequence[tuple[str, Sequence[str]]]) -> list[str]:
        """Every type any run knows: a type one run never predicted scores 0 there."""
        return sorted({t for _, labels in named for t in labels})

    def gold_and_predicted(self, sentence) -> tuple[list[str], list[str]]:
        return [sp.label for sp in sentence.gold], [sp.label for sp in sentence.pred]

    def sizes(self, sentences: Sequence) -> tuple[list[str], list[Any]]:
        return (["words", "gold entities", "predicted entities"],
                [sum(len(s.words) for s in sentences), sum(len(s.gold) for s in sentences),
                 sum(len(s.pred) for s in sentences)])

    def confusion_blocks(self, run, plot_dir: Path, written: list[Path]) -> list:
        from araft.reporting import plots
        from araft.reporting.confusion import CATEGORIES, SPURIOUS, ner_confusion
        from araft.reporting.doc import Figure, Table, Text

        blocks: list = [Text(
            "Entities are compared on words. The exact-span table pairs gold and predicted entities "
            "on exactly the same words (rows gold, columns predicted; (none): no entity on those "
            "words). The error table sorts each gold entity into one category: correct; wrong type "
            "(same words, other type); wrong span (right type, overlapping but different "
            "boundaries); wrong span and type; missed (nothing predicted there). Spurious counts "
            "predictions that touch no gold entity.")]
        for name, split in run.splits.items():
            conf = ner_confusion(split.sentences, run.labels)
            axis, matrix = conf.exact_rows()
            blocks.append(Table(["gold \\ predicted"] + axis,
                                [[a] + row for a, row in zip(axis, matrix)],
                                f"{name}: exact-span matches"))
            fig = plots.heatmap(axis, axis, matrix, plot_dir / f"confusion_{name}{run.part}.png",
                                f"Exact-span matches ({name})", "predicted", "gold")
            written.append(fig)
            blocks.append(Figure(f"{plot_dir.name}/{fig.name}", f"{name}: exact-span match counts."))
            rows = [[t] + [conf.categories[(t, c)] for c in CATEGORIES] for t in conf.types]
            rows.append(["all"] + [conf.total(c) for c in CATEGORIES])
            blocks.append(Table(["type"] + list(CATEGORIES), rows,
                                f"{name}: error categories (gold entities by gold type; {SPURIOUS} "
                                "by predicted type)"))
        return blocks

    def errors(self, sentences: Sequence, labels: Sequence[str], top: int) -> tuple[list, list]:
        from araft.reporting.error_examples import ner_errors

        return ner_errors(sentences, top)
