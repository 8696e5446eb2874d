"""Label Studio JSON exports (a list of tasks), read into Articles and written back.

Per task: the text is ``data[text_key]`` (default "text"); the id is ``data["article_id"]`` (what
the writer puts there), else the task's ``id``, else ``<stem>-<index:05d>``. Only the first
annotation that was not cancelled is read; a task with none is an error (an unannotated task is
not a task without entities). In its ``result``:
- ``labels`` items give entities (one per label in ``value.labels``);
- ``choices`` items with ``value.start``/``end`` label that sentence span (items on the same
  offsets merge); ``choices`` without offsets label the whole text as one sentence, as in the
  doccano reader. Both kinds in one task are ambiguous and rejected;
- other result types (relations, text areas, ratings) have no place in an Article and are skipped.
Label Studio counts offsets in UTF-16 code units (JavaScript strings); where ``value.text`` shows
that they differ from Python's code points (emoji), they are converted.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable, Mapping

from araft.corpus.article import Article, Entity, Sentence
from araft.corpus.formats import check_article, read_text
from araft.corpus.tags import map_label
from araft.errors import DataError


def _utf16_to_index(text: str, units: int) -> int:
    """Python index of the character at UTF-16 offset ``units``."""
    count = 0
    for i, ch in enumerate(text):
        if count >= units:
            return i
        count += 2 if ord(ch) > 0xFFFF else 1
    return len(text)


def _offsets(value: dict, text: str) -> tuple[int, int]:
    start, end = value.get("start"), value.get("end")
    for v in (start, end):
        if not isinstance(v, int) or isinstance(v, bool):
            raise DataError(f"region offsets must be integers, got start={start!r} end={end!r}")
    shown = value.get("text")
    if isinstance(shown, str) and text[start:end] != shown:
        s16, e16 = _utf16_to_index(text, start), _utf16_to_index(text, end)
        if text[s16:e16] != shown:
            raise DataError(f"region [{start}, {end}) reads {text[start:end]!r} in the text but "
                            f"{shown!r} in the export")
        start, end = s16, e16
    return start, end


def _task(task: Any, index: int, stem: str, name: str | None, text_key: str,
          label_map: Mapping[str, str] | None) -> Article:
    if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
        raise DataError(f"task #{index}: expected an object with a 'data' object")
    data = task["data"]
    art_id = data.get("article_id", task.get("id", f"{stem}-{index:05d}"))
    if not isinstance(art_id, (str, int)) or isinstance(art_id, bool) or str(art_id) == "":
        raise DataError(f"task #{index}: bad id {art_id!r}")
    art_id = str(art_id)
    text = data.get(text_key)
    if not isinstance(text, str):
        raise DataError(f"task #{index}: data.{text_key} must be a string", article_id=art_id)
    annotations = [a for a in task.get("annotations") or []
                   if isinstance(a, dict) and not a.get("was_cancelled")]
    if not annotations:
        raise DataError(f"task #{index} has no annotation (unannotated tasks are not read as "
                        "'no entities'; export annotated tasks only)", article_id=art_id)
    result = annotations[0].get("result") or []
    if not isinstance(result, list):
        raise DataError(f"task #{index}: annotation result must be a list", article_id=art_id)
    entities: list[Entity] = []
    regions: dict[tuple[int, int], list[str]] = {}
    whole: list[str] | None = None
    try:
        for item in result:
            value = item.get("value") if isinstance(item, dict) else None
            kind = item.get("type") if isinstance(item, dict) else None
            if kind not in ("labels", "choices"):
                continue
            if not isinstance(value, dict):
                raise DataError(f"a {kind} result needs a 'value' object, got {value!r}")
            names = value.get(kind)
            if not isinstance(names, list) or not all(isinstance(x, str) and x.strip() for x in names):
                raise DataError(f"value.{kind} must be a list of labels, got {names!r}")
            if kind == "labels":
                start, end = _offsets(value, text)
                entities += [Entity(start, end, map_label(x, label_map)) for x in names]
            elif "start" in value or "end" in value:
                labels = regions.setdefault(_offsets(value, text), [])
                labels += [x for x in names if x not in labels]
            else:
                whole = (whole or []) + [x for x in names if x not in (whole or [])]
    except DataError as err:
        raise DataError(f"task #{index}: {err.reason}", article_id=art_id) from None
    sentences = [Sentence(s, e, tuple(ls)) for (s, e), ls in regions.items()] or None
    if whole is not None:
        if sentences:
            raise DataError(f"task #{index}: document-level choices and per-region choices "
                            "together are ambiguous", article_id=art_id)
        sentences = [Sentence(0, len(text), tuple(whole))]
    meta = {k: v for k, v in data.items() if k not in (text_key, "article_id")}
    if name:
        meta.setdefault("source", name)
    return Article(art_id, text, entities, sentences, meta)


def parse_labelstudio(text: str, source: str | None = None, *,
                      label_map: Mapping[str, str] | None = None,
                      entity_labels: Iterable[str] | None = None,
                      sentence_labels: Iterable[str] | None = None, strict: bool = False,
                      text_key: str = "text") -> list[Article]:
    """Articles from a Label Studio JSON export (see the module doc)."""
    try:
        tasks = json.loads(text)
    except json.JSONDecodeError as err:
        raise DataError(f"invalid JSON: {err.msg} (column {err.colno})",
                        path=source, line=err.lineno) from None
    except RecursionError:
        raise DataError("invalid JSON: nested too deeply", path=source) from None
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        raise DataError("a Label Studio export must be a list of tasks", path=source)
    stem = Path(source).stem if source else "labelstudio"
    name = Path(source).name if source else None
    articles, seen = [], set()
    for index, task in enumerate(tasks):
        try:
            article = _task(task, index, stem, name, text_key, label_map)
        except DataError as err:
            raise err.at(path=source) from None
        if article.id in seen:
            raise DataError(f"task #{index}: duplicate article id", path=source, article_id=article.id)
        seen.add(article.id)
        articles.append(check_article(article, path=source, entity_labels=entity_labels,
                                      sentence_labels=sentence_labels))
    return articles


def read_labelstudio(path: str | Path, **options) -> list[Article]:
    return parse_labelstudio(read_text(path), str(path), **options)


def to_labelstudio(article: Article) -> dict[str, Any]:
    """One task: entities as ``labels``, labelled sentences as ``choices`` (whole text: no offsets).

    Offsets are written as code points; sentences without labels are not written (the
    segmenter will find the boundaries again).
    """
    result: list[dict[str, Any]] = []
    for k, e in enumerate(article.entities):
        result.append({"id": f"e{k}", "from_name": "label", "to_name": "text", "type": "labels",
                       "value": {"start": e.start, "end": e.end,
                                 "text": article.text[e.start:e.end], "labels": [e.label]}})
    whole = [(0, len(article.text))]
    sents = article.sentences or []
    for k, s in enumerate(sents):
        if not s.labels:
            continue
        value: dict[str, Any] = {"choices": list(s.labels)}
        if [(s.start, s.end)] != whole or len(sents) != 1:
            value = {"start": s.start, "end": s.end, "text": article.text[s.start:s.end], **value}
        result.append({"id": f"s{k}", "from_name": "sentence", "to_name": "text",
                       "type": "choices", "value": value})
    data = {**article.meta, "text": article.text, "article_id": article.id}
    return {"data": data, "annotations": [{"result": result}]}


def write_labelstudio(articles: Iterable[Article], path: str | Path) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        json.dump([to_labelstudio(a) for a in articles], out, ensure_ascii=False, indent=1)
        out.write("\n")
