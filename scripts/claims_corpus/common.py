"""Shared helpers for the claims/obstacles corpus scripts: source reading, the corpus's tables and
sentence spans.

The source file holds one article per blank-line-separated block: title line, then body lines.
Article numbers are 1-based positions of the block in the file (empty blocks are not counted).
"""
from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO.parent / "shared" / "data" / "saudinewsnet" / "saudinewsnet_2015-08-07_to_2015-08-11.txt"
DATA = REPO / "data" / "claims_obstacles"

TERMINATORS = ".!?؟"
QUOTES = "“”«»\"'’‘"


def read_table(name: str) -> list[dict]:
    """The rows of a tab-separated table of the corpus folder (selection.tsv, pool_selection.tsv,
    stories.tsv) as dicts by column name."""
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    head = lines[0].split("\t")
    return [dict(zip(head, line.split("\t"))) for line in lines[1:] if line.strip()]


def read_source(path: Path = SOURCE) -> list[tuple[int, str]]:
    """(article number, text) for every block; text = title + "\\n" + body lines, untouched."""
    raw = path.read_text(encoding="utf-8")
    blocks = [b for b in raw.split("\n\n") if b.strip("\n")]
    return [(i, b.strip("\n")) for i, b in enumerate(blocks, start=1)]


def _own_split(text: str) -> list[tuple[int, int]]:
    """Guideline rule: a sentence ends at . ! ? ؟ (a run of them) or a line break.

    A quotation mark written right after the terminator closes that sentence; one after a space
    opens the next. A '.' between two digits is a decimal point, not a boundary. Spans are
    trimmed of surrounding whitespace.
    """
    spans: list[tuple[int, int]] = []
    start, i, n = 0, 0, len(text)
    while i < n:
        ch = text[i]
        end = None
        if ch == "\n":
            end = i
            nxt = i + 1
        elif ch in TERMINATORS:
            if ch == "." and 0 < i < n - 1 and text[i - 1].isdigit() and text[i + 1].isdigit():
                i += 1
                continue
            j = i
            while j < n and text[j] in TERMINATORS:
                j += 1
            while j < n and text[j] in QUOTES:
                j += 1
            end = nxt = j
        if end is None:
            i += 1
            continue
        _add(text, start, end, spans)
        start = i = nxt
    _add(text, start, n, spans)
    return spans


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append((start, end))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text``: the project's splitter when it exists, else the rule above."""
    try:
        from araft.corpus.segment import split_sentences  # type: ignore
    except ImportError:
        return _own_split(text)
    out = []
    for item in split_sentences(text):
        if isinstance(item, tuple):
            out.append((int(item[0]), int(item[1])))
        else:  # an object with start/end
            out.append((int(item.start), int(item.end)))
    return out
