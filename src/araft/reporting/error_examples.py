"""Error analysis: the worst false positives and false negatives, each shown in its sentence.

NER. A false positive is a prediction without a gold entity of the same type on the same words;
the worst are the most confident (highest score). A false negative is a gold entity without such a
prediction; the worst are those nothing overlaps (missed), then those found with the wrong type
or span, most confident wrong prediction first.
Claims. Per label, a false positive is a sentence predicted with a label it does not have (worst:
highest score for it) and a false negative one that has the label but was not predicted (worst:
lowest score for it).
"""
from __future__ import annotations

from typing import Sequence

from araft.reporting.collect import ClaimsSentence, NerSentence, Span
from araft.reporting.confusion import (MISSED, WRONG_BOTH, WRONG_SPAN, WRONG_TYPE,
                                       gold_category, pred_category)
from araft.reporting.doc import Example, Mark, fmt

_FN_ORDER = {MISSED: 0, WRONG_TYPE: 1, WRONG_BOTH: 2, WRONG_SPAN: 3}


def _marks(s: NerSentence, focus: Span | None, focus_kind: str) -> list[Mark]:
    out = []
    for kind, spans in (("gold", s.gold), ("pred", s.pred)):
        for sp in spans:
            start, end = s.char_span(sp)
            out.append(Mark(start, end, kind, sp.label,
                            focus=focus is not None and kind == focus_kind and sp == focus))
    return out


def _describe(s: NerSentence, spans: Sequence[Span]) -> str:
    return "; ".join(f"{s.span_text(sp)} ({sp.label})" for sp in spans) or "none"


def _score(x: float | None) -> float:
    return -1.0 if x is None else x


def ner_errors(sentences: Sequence[NerSentence], top: int = 10) -> tuple[list[Example], list[Example]]:
    """(worst false positives, worst false negatives), at most `top` each."""
    fps, fns = [], []
    for s in sentences:
        for p in s.pred:
            cat, g = pred_category(p, s.gold)
            if g is None or g.key != p.key or g.label != p.label:
                fps.append((-_score(p.score), s, p, cat, g))
        for g in s.gold:
            cat, p = gold_category(g, s.pred)
            if p is None or p.key != g.key or p.label != g.label:
                rank = (_FN_ORDER[cat], -_score(p.score if p else None))
                fns.append((rank, s, g, cat, p))
    fps.sort(key=lambda t: (t[0], t[1].article_id, t[1].offset, t[2].start))
    fns.sort(key=lambda t: (t[0], t[1].article_id, t[1].offset, t[2].start))
    out_fp = []
    for _, s, p, cat, g in fps[:top]:
        out_fp.append(Example(
            f"false positive · {p.label} · {cat}", s.text, _marks(s, p, "pred"),
            [("predicted", f"{s.span_text(p)} ({p.label})"),
             ("score", fmt(p.score)),
             ("gold here", _describe(s, [g]) if g else "none"),
             ("article", f"{s.article_id}, character {s.offset + s.char_span(p)[0]}")]))
    out_fn = []
    for _, s, g, cat, p in fns[:top]:
        out_fn.append(Example(
            f"false negative · {g.label} · {cat}", s.text, _marks(s, g, "gold"),
            [("gold", f"{s.span_text(g)} ({g.label})"),
             ("predicted here", _describe(s, [p]) if p else "none"),
             ("score", fmt(p.score) if p else "–"),
             ("article", f"{s.article_id}, character {s.offset + s.char_span(g)[0]}")]))
    return out_fp, out_fn


def _labels_text(labels: Sequence[str]) -> str:
    return ", ".join(labels) if labels else "none"


def claims_errors(sentences: Sequence[ClaimsSentence], labels: Sequence[str],
                  top: int = 10) -> tuple[list[Example], list[Example]]:
    """(worst false positives, worst false negatives) over all labels, at most `top` each."""
    fps, fns = [], []
    for s in sentences:
        for name in labels:
            score = (s.scores or {}).get(name)
            if name in s.pred and name not in s.gold:
                fps.append((-_score(score), s, name, score))
            elif name in s.gold and name not in s.pred:
                fns.append((2.0 if score is None else score, s, name, score))
    fps.sort(key=lambda t: (t[0], t[1].article_id, t[1].offset))
    fns.sort(key=lambda t: (t[0], t[1].article_id, t[1].offset))

    def example(kind: str, s: ClaimsSentence, name: str, score: float | None) -> Example:
        whole = [Mark(0, len(s.text), "pred" if kind == "false positive" else "gold", name, True)]
        return Example(f"{kind} · {name}", s.text, whole,
                       [("gold labels", _labels_text(s.gold)),
                        ("predicted labels", _labels_text(s.pred)),
                        (f"score for {name}", fmt(score)),
                        ("article", f"{s.article_id}, character {s.offset}")])

    return ([example("false positive", s, n, sc) for _, s, n, sc in fps[:top]],
            [example("false negative", s, n, sc) for _, s, n, sc in fns[:top]])
