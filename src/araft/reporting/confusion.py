"""Where the errors are: entity types against each other, boundaries, and per-label 2x2 tables.

NER errors are read on words (the evaluation's units), entity by entity:
- correct: a prediction on exactly the gold words, with the gold type;
- wrong type: a prediction on exactly the gold words, with another type;
- wrong span: no exact prediction, but one of the gold type overlaps the gold words (a boundary
  error: too long, too short, or shifted);
- wrong span and type: only predictions of other types overlap the gold words;
- missed: no prediction overlaps the gold words;
- spurious: a prediction that overlaps no gold entity.
Every gold entity gets exactly one of the first five; every prediction that is not correct is a
wrong type, a (part of a) boundary error, or spurious. Strict entity F1 counts all of them.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from araft.reporting.collect import ClaimsSentence, NerSentence, Span

CORRECT, WRONG_TYPE, WRONG_SPAN, WRONG_BOTH, MISSED, SPURIOUS = (
    "correct", "wrong type", "wrong span", "wrong span and type", "missed", "spurious")
CATEGORIES = (CORRECT, WRONG_TYPE, WRONG_SPAN, WRONG_BOTH, MISSED, SPURIOUS)
NONE = "(none)"


def overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def gold_category(gold: Span, preds: Sequence[Span]) -> tuple[str, Span | None]:
    """The category of one gold entity, and the prediction that decided it (if any)."""
    exact = [p for p in preds if p.key == gold.key]
    if exact:
        return (CORRECT if exact[0].label == gold.label else WRONG_TYPE), exact[0]
    near = [p for p in preds if overlaps(p, gold)]
    same = [p for p in near if p.label == gold.label]
    if same:
        return WRONG_SPAN, same[0]
    if near:
        return WRONG_BOTH, near[0]
    return MISSED, None


def pred_category(pred: Span, golds: Sequence[Span]) -> tuple[str, Span | None]:
    """The category of one prediction seen from its side (spurious when it touches no gold)."""
    exact = [g for g in golds if g.key == pred.key]
    if exact:
        return (CORRECT if exact[0].label == pred.label else WRONG_TYPE), exact[0]
    near = [g for g in golds if overlaps(g, pred)]
    same = [g for g in near if g.label == pred.label]
    if same:
        return WRONG_SPAN, same[0]
    if near:
        return WRONG_BOTH, near[0]
    return SPURIOUS, None


@dataclass
class NerConfusion:
    types: list[str]
    exact: Counter                  # (gold type or NONE, predicted type or NONE) -> count
    categories: Counter             # (type, category) -> count; spurious under the predicted type

    def exact_rows(self) -> tuple[list[str], list[list[int]]]:
        """Rows gold types + NONE, columns predicted types + NONE (the exact-span match table)."""
        axis = self.types + [NONE]
        return axis, [[self.exact[(g, p)] for p in axis] for g in axis]

    def total(self, category: str) -> int:
        return sum(n for (_, c), n in self.categories.items() if c == category)


def ner_confusion(sentences: Sequence[NerSentence], types: Sequence[str]) -> NerConfusion:
    exact: Counter = Counter()
    cats: Counter = Counter()
    for s in sentences:
        pred_keys = {p.key: p for p in s.pred}
        gold_keys = {g.key for g in s.gold}
        for g in s.gold:
            p = pred_keys.get(g.key)
            exact[(g.label, p.label if p else NONE)] += 1
            cats[(g.label, gold_category(g, s.pred)[0])] += 1
        for p in s.pred:
            if p.key not in gold_keys:
                exact[(NONE, p.label)] += 1
            if pred_category(p, s.gold)[0] == SPURIOUS:
                cats[(p.label, SPURIOUS)] += 1
    seen = {t for pair in exact for t in pair if t != NONE}
    return NerConfusion(list(types) + sorted(seen - set(types)), exact, cats)


@dataclass
class LabelCounts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0


def claims_confusion(sentences: Sequence[ClaimsSentence],
                     labels: Sequence[str]) -> dict[str, LabelCounts]:
    """Per label, the 2x2 table of sentences: gold yes/no against predicted yes/no."""
    out = {name: LabelCounts() for name in labels}
    for s in sentences:
        for name in labels:
            g, p = name in s.gold, name in s.pred
            c = out[name]
            if g and p:
                c.tp += 1
            elif p:
                c.fp += 1
            elif g:
                c.fn += 1
            else:
                c.tn += 1
    return out


def label_set(labels: Sequence[str], order: Sequence[str]) -> str:
    chosen = [n for n in order if n in labels]
    return " + ".join(chosen) if chosen else NONE


def label_set_confusion(sentences: Sequence[ClaimsSentence],
                        labels: Sequence[str]) -> tuple[list[str], list[list[int]]]:
    """Gold label set against predicted label set (e.g. claim + obstacle predicted as claim)."""
    pairs = Counter((label_set(s.gold, labels), label_set(s.pred, labels)) for s in sentences)
    axis = sorted({x for pair in pairs for x in pair},
                  key=lambda x: (x != NONE, x.count("+"), x))
    return axis, [[pairs[(g, p)] for p in axis] for g in axis]
