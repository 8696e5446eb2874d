"""The report as a small document model, rendered twice (markdown.py, html.py) from one source.

Builders (report.py, compare.py) decide the content; renderers decide only the markup, so the
markdown and the HTML report can never disagree about a number.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union


@dataclass
class Text:
    text: str


@dataclass
class Table:
    columns: list[str]
    rows: list[list[Any]]           # cells: str, int, float (formatted by fmt) or None
    caption: str = ""


@dataclass
class Figure:
    path: str                       # relative to the report's directory (plots/x.png)
    caption: str


@dataclass
class Mark:
    """A highlighted stretch of an example sentence (offsets relative to the sentence)."""
    start: int
    end: int
    kind: str                       # "gold" or "pred"
    label: str
    focus: bool = False             # the error this example is about


@dataclass
class Example:
    title: str                      # e.g. "false positive · LOC · wrong span"
    sentence: str                   # Arabic, shown right-to-left
    marks: list[Mark]
    details: list[tuple[str, str]]  # (field, value) lines: gold, predicted, score, article


@dataclass
class Examples:
    items: list[Example]
    caption: str = ""


Block = Union[Text, Table, Figure, Examples]


@dataclass
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)
    level: int = 2


@dataclass
class Document:
    title: str
    sections: list[Section]
    subtitle: str = ""


def fmt(value: Any, digits: int = 3) -> str:
    """One number format everywhere: floats to `digits` places, None as an en dash."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if value != value:  # nan
            return "–"
        return f"{value:.{digits}f}"
    return str(value)


def fmt_ci(value: float | None, ci: Any, digits: int = 3) -> str:
    """0.812 [0.751, 0.866]"""
    if value is None:
        return "–"
    if not ci or ci[0] is None or ci[1] is None:
        return fmt(value, digits)
    return f"{fmt(value, digits)} {fmt_ci_only(ci, digits)}"


def fmt_ci_only(ci: Any, digits: int = 3) -> str:
    """[0.751, 0.866] (an interval in its own column); an en dash when there is none."""
    if not ci or ci[0] is None or ci[1] is None:
        return "–"
    return f"[{fmt(float(ci[0]), digits)}, {fmt(float(ci[1]), digits)}]"


def segments(text: str, marks: list[Mark]) -> list[tuple[str, list[Mark]]]:
    """The sentence cut at every mark boundary: (piece, the marks covering it), in text order.

    Gold and predicted spans may overlap partially (a boundary error), so a piece can carry both."""
    cuts = {0, len(text)}
    for m in marks:
        cuts.update((max(0, min(m.start, len(text))), max(0, min(m.end, len(text)))))
    points = sorted(cuts)
    out = []
    for a, b in zip(points, points[1:]):
        if a < b:
            out.append((text[a:b], [m for m in marks if m.start <= a and b <= m.end]))
    return out
