"""One entry point for every corpus format: detect, read into Articles, write out of them.

Each format lives in its own module with a ``parse_<fmt>(text, source, **options)`` that works on
a decoded string (so tests and fuzzing need no files) and, where it makes sense, a
``write_<fmt>(articles, path)``. The modules are imported lazily from the table below so that they
can import ``read_text`` from here without a cycle.
"""
from __future__ import annotations

import importlib
import inspect
import json
import re
from pathlib import Path
from typing import Any, Callable, Iterable

from araft.corpus.article import Article, validate_article
from araft.errors import DataError

# format name -> (module, parser, writer or None)
FORMATS: dict[str, tuple[str, str, str | None]] = {
    "jsonl": ("araft.corpus.jsonl", "parse_jsonl", "write_jsonl"),
    "conll": ("araft.corpus.conll", "parse_conll", "write_conll"),
    "doccano": ("araft.corpus.doccano", "parse_doccano", "write_doccano"),
    "labelstudio": ("araft.corpus.labelstudio", "parse_labelstudio", "write_labelstudio"),
    "checkthat": ("araft.corpus.checkthat", "parse_checkworthy", None),
    "subjectivity": ("araft.corpus.checkthat", "parse_subjectivity", None),
}
_EXTENSIONS = {".jsonl": "jsonl", ".conll": "conll", ".bio": "conll", ".iob": "conll"}
_TAG = re.compile(r"^(O|[BIESLU]-\S+)$")


def read_text(path: str | Path) -> str:
    """A corpus file's text: UTF-8 (a leading BOM dropped), not empty, else a DataError."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise DataError(f"cannot read file: {err.strerror or err}", path=str(path)) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise DataError(f"not valid UTF-8: byte 0x{data[err.start]:02x} at byte offset {err.start}",
                        path=str(path), line=line) from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise DataError("empty file", path=str(path))
    return text


def check_article(article: Article, *, path: str | None, line: int | None = None,
                  entity_labels: Iterable[str] | None = None,
                  sentence_labels: Iterable[str] | None = None) -> Article:
    """validate_article, with the file and line filled into any error; returns the article."""
    try:
        validate_article(article, entity_labels=entity_labels, sentence_labels=sentence_labels)
    except DataError as err:
        raise err.at(path=path, line=line, article_id=article.id) from None
    return article


def _parser(fmt: str) -> Callable[..., list[Article]]:
    module, parse, _ = FORMATS[_check_format(fmt)]
    return getattr(importlib.import_module(module), parse)


def _check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise DataError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    return fmt


def sniff_format(text: str, suffix: str = "") -> str | None:
    """Format of decoded content (``suffix`` breaks ties), or None when nothing fits."""
    head = text.lstrip()
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    if first.startswith("tweet_id\t"):
        return "checkthat"
    if first.startswith("sentence_id\t"):
        return "subjectivity"
    if head.startswith("["):
        return "labelstudio"
    if head.startswith("{"):
        try:
            obj = json.loads(first)
        except json.JSONDecodeError:
            return "labelstudio" if suffix == ".json" else None
        return "doccano" if _looks_doccano(obj) else "jsonl"
    lines = [ln for ln in text.splitlines()[:200] if ln.strip()]
    if lines and all(_conll_line(ln) for ln in lines):
        return "conll"
    return None


def _looks_doccano(obj: Any) -> bool:
    if not isinstance(obj, dict):
        return False
    if "label" in obj or "cats" in obj:
        return True
    ents = obj.get("entities")
    return bool(ents) and isinstance(ents[0], dict) and "start_offset" in ents[0]


def _conll_line(line: str) -> bool:
    cols = line.split("\t") if "\t" in line else line.split()
    return cols[0] == "-DOCSTART-" or (len(cols) >= 2 and bool(_TAG.match(cols[-1].strip())))


def detect_format(path: str | Path) -> str:
    """The format of a file, by extension where it is unambiguous, else by content."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in _EXTENSIONS:
        return _EXTENSIONS[suffix]
    fmt = sniff_format(read_text(path), suffix)
    if fmt is None:
        raise DataError("cannot tell the file's format from its extension or content; "
                        f"pass one of: {', '.join(FORMATS)}", path=str(path))
    return fmt


def read_articles(path: str | Path, format: str | None = None, **options: Any) -> list[Article]:
    """Read a corpus file into validated Articles.

    Options every format takes: ``label_map`` (e.g. {"PER": "PERS"}, applied to entity types on
    read), ``entity_labels`` / ``sentence_labels`` (declared label sets: anything else is an
    error), ``strict`` (CoNLL: a broken I- is an error, not a warning). CoNLL also takes
    ``scheme`` ("auto", "iob1", "iob2", "bioes"); Label Studio takes ``text_key``.
    """
    fmt = _check_format(format) if format else detect_format(path)
    text = read_text(path)
    parse = _parser(fmt)
    given = {key: value for key, value in options.items() if value is not None}
    accepted = inspect.signature(parse).parameters
    for key in given:
        if key not in accepted:
            raise DataError(f"option {key!r} does not apply to the {fmt} format", path=str(path))
    articles = parse(text, str(path), **given)
    _check_unique_ids(articles, str(path))
    return articles


def _check_unique_ids(articles: Iterable[Article], path: str) -> None:
    seen: set[str] = set()
    for art in articles:
        if art.id in seen:
            raise DataError("duplicate article id", path=path, article_id=art.id)
        seen.add(art.id)


def write_articles(articles: Iterable[Article], path: str | Path, format: str | None = None) -> None:
    """Write Articles to ``path`` (parent folders created); format from the extension if not given."""
    path = Path(path)
    if format is None:
        format = {".jsonl": "jsonl", ".conll": "conll", ".txt": "conll", ".bio": "conll",
                  ".json": "labelstudio"}.get(path.suffix.lower())
        if format is None:
            raise DataError("cannot tell which format to write from the extension; pass one",
                            path=str(path))
    module, _, writer = FORMATS[_check_format(format)]
    if writer is None:
        raise DataError(f"araft reads the {format} format but does not write it", path=str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    getattr(importlib.import_module(module), writer)(list(articles), path)
