"""CheckThat! 2024 readers: task 1 check-worthiness (tweets) and task 2 subjectivity (sentences).

Each row becomes one Article with ONE sentence over its whole text, so these sets plug into the
sentence-classification task as they are:
- task 1 (``tweet_id  tweet_url  tweet_text  class_label``, plain TSV without quoting: tweets hold
  bare quote marks): label ``("claim",)`` for Yes, ``()`` for No;
- task 2 (``sentence_id  sentence  label``, CSV quoting inside TSV): label ``("OBJ",)`` or
  ``("SUBJ",)``.
Both sets may be read, not redistributed: they stay under ../shared/data (see its README).
"""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Iterable, Iterator, Mapping

from araft.corpus.article import Article, Sentence
from araft.corpus.formats import check_article, read_text
from araft.errors import DataError

CHECKWORTHY_COLUMNS = ("tweet_id", "tweet_url", "tweet_text", "class_label")
SUBJECTIVITY_COLUMNS = ("sentence_id", "sentence", "label")
CHECKWORTHY_LABELS = {"Yes": ("claim",), "No": ()}
SUBJECTIVITY_LABELS = ("OBJ", "SUBJ")


def _columns(header: list[str], wanted: tuple[str, ...], source: str | None) -> dict[str, int]:
    names = [h.strip() for h in header]
    missing = [w for w in wanted if w not in names]
    if missing:
        raise DataError(f"header lacks column(s) {', '.join(missing)} (found: {', '.join(names)})",
                        path=source, line=1)
    return {w: names.index(w) for w in wanted}


def _rows(text: str, quoted: bool, source: str | None) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) per non-blank row; header included."""
    if not quoted:
        for number, line in enumerate(text.split("\n"), start=1):
            line = line.rstrip("\r")
            if line.strip():
                yield number, line.split("\t")
        return
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t", quotechar='"', strict=True)
    try:
        for row in reader:
            if any(field.strip() for field in row):
                yield reader.line_num, row
    except csv.Error as err:
        raise DataError(f"bad TSV quoting: {err}", path=source, line=reader.line_num) from None


def _parse(text: str, source: str | None, columns: tuple[str, ...], quoted: bool):
    """Yield (line, {column: value}) per data row, after header and field-count checks."""
    rows = _rows(text, quoted, source)
    first = next(rows, None)
    if first is None:
        raise DataError("empty file", path=source)
    index = _columns(first[1], columns, source)
    width = len(first[1])
    seen: dict[str, int] = {}
    for number, fields in rows:
        if len(fields) != width:
            raise DataError(f"{len(fields)} fields, but the header has {width}",
                            path=source, line=number)
        row = {name: fields[i] for name, i in index.items()}
        row_id = row[columns[0]].strip()
        if not row_id:
            raise DataError(f"empty {columns[0]}", path=source, line=number)
        if row_id in seen:
            raise DataError(f"duplicate {columns[0]} (first on line {seen[row_id]})",
                            path=source, line=number, article_id=row_id)
        seen[row_id] = number
        yield number, row


def _article(art_id: str, text: str, labels: tuple[str, ...], meta: dict, source: str | None,
             number: int, sentence_labels: Iterable[str] | None) -> Article:
    if not text.strip():
        raise DataError("empty text", path=source, line=number, article_id=art_id)
    article = Article(art_id, text, [], [Sentence(0, len(text), labels)], meta)
    return check_article(article, path=source, line=number, sentence_labels=sentence_labels)


def parse_checkworthy(text: str, source: str | None = None, *,
                      label_map: Mapping[str, str] | None = None,
                      entity_labels: Iterable[str] | None = None,
                      sentence_labels: Iterable[str] | None = None,
                      strict: bool = False) -> list[Article]:
    """Task 1 rows -> Articles with sentence label ("claim",) for Yes and () for No."""
    name = Path(source).name if source else None
    out = []
    for number, row in _parse(text, source, CHECKWORTHY_COLUMNS, False):
        label = row["class_label"].strip()
        if label not in CHECKWORTHY_LABELS:
            raise DataError(f"class_label must be Yes or No, got {label!r}",
                            path=source, line=number, article_id=row["tweet_id"].strip())
        meta = {"url": row["tweet_url"].strip(), **({"source": name} if name else {})}
        out.append(_article(row["tweet_id"].strip(), row["tweet_text"], CHECKWORTHY_LABELS[label],
                            meta, source, number, sentence_labels))
    return out


def parse_subjectivity(text: str, source: str | None = None, *,
                       label_map: Mapping[str, str] | None = None,
                       entity_labels: Iterable[str] | None = None,
                       sentence_labels: Iterable[str] | None = None,
                       strict: bool = False) -> list[Article]:
    """Task 2 rows -> Articles with sentence label ("OBJ",) or ("SUBJ",)."""
    name = Path(source).name if source else None
    out = []
    for number, row in _parse(text, source, SUBJECTIVITY_COLUMNS, True):
        label = row["label"].strip()
        if label not in SUBJECTIVITY_LABELS:
            raise DataError(f"label must be OBJ or SUBJ, got {label!r}",
                            path=source, line=number, article_id=row["sentence_id"].strip())
        meta = {"source": name} if name else {}
        out.append(_article(row["sentence_id"].strip(), row["sentence"], (label,), meta, source,
                            number, sentence_labels))
    return out


def read_checkworthy(path: str | Path, **options) -> list[Article]:
    return parse_checkworthy(read_text(path), str(path), **options)


def read_subjectivity(path: str | Path, **options) -> list[Article]:
    return parse_subjectivity(read_text(path), str(path), **options)
