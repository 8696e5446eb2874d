"""doccano JSONL exports (one example a line), read into Articles and written back.

Read:
- entity spans from ``"label": [[start, end, "TYPE"], ...]`` (sequence labelling export) or
  ``"entities": [{"start_offset", "end_offset", "label"}, ...]`` (newer export);
- when ``sentence_labels`` is declared, spans whose label is one of them are sentence spans, not
  entities (annotators mark whole sentences "claim"); spans on the same offsets merge their labels;
- document-level categories (``"label": ["claim"]`` from a text-classification export, or
  ``"cats"`` as a list or a {label: true/false} mapping) become ONE sentence over the whole text:
  a classified example is the unit its label belongs to, the same shape as the CheckThat! readers
  give. Whole-text categories together with sentence spans are ambiguous and rejected;
- ``"sentences"`` in araft's own form (what the writer emits) is taken as is;
- ``meta`` and any other top-level keys go to the Article's meta, ``id`` is kept (else
  ``<stem>-<index:05d>``).
Write: ``label`` triples, ``cats`` for a single whole-text sentence, else araft's ``sentences``.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable, Mapping

from araft.corpus.article import Article, Entity, Sentence
from araft.corpus.formats import check_article, read_text
from araft.corpus.tags import map_label
from araft.errors import DataError

_RESERVED = {"id", "text", "label", "entities", "relations", "cats", "sentences", "meta"}


def _int(value: Any, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise DataError(f"{what} must be an integer, got {value!r}")
    return value


def _name(value: Any) -> bool:
    """A usable label: a string with something besides whitespace."""
    return isinstance(value, str) and bool(value.strip())


def _spans(obj: dict) -> tuple[list[tuple[int, int, str]], list[str] | None]:
    """(start, end, label) spans and document categories (None when the example has none)."""
    spans: list[tuple[int, int, str]] = []
    cats: list[str] | None = None
    label = obj.get("label")
    if label is not None:
        if not isinstance(label, list):
            raise DataError(f"'label' must be a list, got {type(label).__name__}")
        if label and all(isinstance(x, str) for x in label):
            if not all(map(_name, label)):
                raise DataError(f"category labels must be non-empty strings, got {label!r}")
            cats = list(label)
        else:
            for item in label:
                if not isinstance(item, (list, tuple)) or len(item) != 3 or not _name(item[2]):
                    raise DataError(f"a label must be [start, end, \"TYPE\"], got {item!r}")
                spans.append((_int(item[0], "span start"), _int(item[1], "span end"), item[2]))
    for item in obj.get("entities") or []:
        if not isinstance(item, dict) or not _name(item.get("label")):
            raise DataError(f"an entity must be {{start_offset, end_offset, label}}, got {item!r}")
        spans.append((_int(item.get("start_offset"), "start_offset"),
                      _int(item.get("end_offset"), "end_offset"), item["label"]))
    if "cats" in obj:
        raw = obj["cats"]
        if isinstance(raw, dict):
            found = [k for k, v in raw.items() if v is True or (not isinstance(v, bool)
                                                                       and isinstance(v, (int, float)) and v >= 0.5)]
        elif isinstance(raw, list) and all(map(_name, raw)):
            found = list(raw)
        else:
            raise DataError(f"'cats' must be a list of labels or a {{label: bool}} object, got {raw!r}")
        if not all(map(_name, found)):
            raise DataError(f"'cats' labels must be non-empty strings, got {raw!r}")
        cats = (cats or []) + [c for c in found if c not in (cats or [])]
    return spans, cats


def _article(obj: Any, index: int, stem: str, name: str | None,
             label_map: Mapping[str, str] | None, sentence_labels: set[str] | None) -> Article:
    if not isinstance(obj, dict):
        raise DataError(f"expected a JSON object, got {type(obj).__name__}")
    text = obj.get("text")
    if not isinstance(text, str):
        raise DataError("'text' must be a string")
    art_id = obj.get("id", f"{stem}-{index:05d}")
    if not isinstance(art_id, (str, int)) or isinstance(art_id, bool) or str(art_id) == "":
        raise DataError(f"bad 'id' {art_id!r}")
    art_id = str(art_id)
    try:
        spans, cats = _spans(obj)
    except DataError as err:
        raise err.at(article_id=art_id) from None
    entities: list[Entity] = []
    by_offsets: dict[tuple[int, int], list[str]] = {}
    for start, end, label in spans:
        if sentence_labels is not None and label in sentence_labels:
            labels = by_offsets.setdefault((start, end), [])
            if label not in labels:
                labels.append(label)
        else:
            entities.append(Entity(start, end, map_label(label, label_map)))
    sentences = [Sentence(s, e, tuple(ls)) for (s, e), ls in by_offsets.items()] or None
    if obj.get("sentences") is not None:
        if sentences:
            raise DataError("both sentence spans and a 'sentences' list", article_id=art_id)
        try:
            sentences = Article.from_dict({"id": art_id, "text": text,
                                           "sentences": obj["sentences"]}).sentences
        except (TypeError, ValueError, AttributeError) as err:
            raise DataError(f"malformed 'sentences': {err}", article_id=art_id) from None
    if cats is not None:
        if sentences:
            raise DataError("document-level categories and sentence spans together are "
                            "ambiguous", article_id=art_id)
        sentences = [Sentence(0, len(text), tuple(dict.fromkeys(cats)))]
    meta = obj.get("meta") or {}
    if not isinstance(meta, dict):
        raise DataError("'meta' must be an object", article_id=art_id)
    meta = {**meta, **{k: v for k, v in obj.items() if k not in _RESERVED}}
    if name:
        meta.setdefault("source", name)
    return Article(art_id, text, entities, sentences, meta)


def parse_doccano(text: str, source: str | None = None, *, label_map: Mapping[str, str] | None = None,
                  entity_labels: Iterable[str] | None = None,
                  sentence_labels: Iterable[str] | None = None, strict: bool = False) -> list[Article]:
    """Articles from a doccano JSONL export (see the module doc for what goes where)."""
    sent_set = None if sentence_labels is None else set(sentence_labels)
    stem = Path(source).stem if source else "doccano"
    name = Path(source).name if source else None
    articles: list[Article] = []
    first_line: dict[str, int] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as err:
            msg = getattr(err, "msg", "nested too deeply")
            raise DataError(f"invalid JSON: {msg}", path=source, line=number) from None
        try:
            article = _article(obj, len(articles), stem, name, label_map, sent_set)
        except DataError as err:
            raise err.at(path=source, line=number) from None
        if article.id in first_line:
            raise DataError(f"duplicate article id (first on line {first_line[article.id]})",
                            path=source, line=number, article_id=article.id)
        first_line[article.id] = number
        articles.append(check_article(article, path=source, line=number,
                                      entity_labels=entity_labels, sentence_labels=sent_set))
    return articles


def read_doccano(path: str | Path, **options) -> list[Article]:
    return parse_doccano(read_text(path), str(path), **options)


def to_doccano(article: Article) -> dict[str, Any]:
    """One doccano example: entity triples, then whole-text ``cats`` or araft ``sentences``."""
    out: dict[str, Any] = {"id": article.id, "text": article.text,
                           "label": [[e.start, e.end, e.label] for e in article.entities]}
    sents = article.sentences
    if sents is not None and len(sents) == 1 and (sents[0].start, sents[0].end) == (0, len(article.text)):
        out["cats"] = list(sents[0].labels)
    elif sents is not None:
        out["sentences"] = [s.to_dict() for s in sents]
    out.update({k: v for k, v in article.meta.items() if k not in _RESERVED})
    return out


def write_doccano(articles: Iterable[Article], path: str | Path) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        for article in articles:
            out.write(json.dumps(to_doccano(article), ensure_ascii=False) + "\n")
