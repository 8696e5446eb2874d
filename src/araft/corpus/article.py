"""The one data shape: an Article with its original text, entity spans and sentence spans.

Offsets are Python string indices (code points) into ``text``, end exclusive. ``text`` is never
modified by anything in araft.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from araft.errors import DataError


@dataclass(frozen=True)
class Entity:
    start: int
    end: int
    label: str
    score: float | None = None  # set on predictions only

    def to_dict(self, text: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"start": self.start, "end": self.end, "label": self.label}
        if text is not None:
            out["text"] = text[self.start:self.end]
        if self.score is not None:
            out["score"] = round(float(self.score), 6)
        return out


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    labels: tuple[str, ...] = ()
    scores: dict[str, float] | None = None  # per-label probabilities, on predictions only

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"start": self.start, "end": self.end, "labels": list(self.labels)}
        if self.scores is not None:
            out["scores"] = {k: round(float(v), 6) for k, v in self.scores.items()}
        return out


@dataclass
class Article:
    id: str
    text: str
    entities: list[Entity] = field(default_factory=list)
    sentences: list[Sentence] | None = None  # None: the segmenter decides, no sentence labels
    meta: dict[str, Any] = field(default_factory=dict)

    def to_dict(self, surface: bool = False) -> dict[str, Any]:
        """JSON-ready dict; ``surface`` adds each entity's text (used for predictions)."""
        out: dict[str, Any] = {
            "id": self.id,
            "text": self.text,
            "entities": [e.to_dict(self.text if surface else None) for e in self.entities],
        }
        if self.sentences is not None:
            out["sentences"] = [s.to_dict() for s in self.sentences]
        out["meta"] = self.meta
        return out

    @classmethod
    def from_dict(cls, obj: Any) -> "Article":
        """Build from a parsed JSON object; structural problems raise DataError (no location)."""
        if not isinstance(obj, dict):
            raise DataError(f"expected a JSON object, got {type(obj).__name__}")
        art_id = obj.get("id")
        if not isinstance(art_id, (str, int)) or isinstance(art_id, bool) or str(art_id) == "":
            raise DataError("missing or empty 'id'")
        art_id = str(art_id)
        text = obj.get("text")
        if not isinstance(text, str):
            raise DataError("'text' must be a string", article_id=art_id)
        try:
            entities = [_entity(e) for e in _list(obj, "entities")]
            sentences = None
            if obj.get("sentences") is not None:
                sentences = [_sentence(s) for s in _list(obj, "sentences")]
        except DataError as err:
            raise err.at(article_id=art_id) from None
        meta = obj.get("meta") or {}
        if not isinstance(meta, dict):
            raise DataError("'meta' must be an object", article_id=art_id)
        return cls(id=art_id, text=text, entities=entities, sentences=sentences, meta=dict(meta))


def _list(obj: dict, key: str) -> list:
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise DataError(f"{key!r} must be a list, got {type(value).__name__}")
    return value


def _label(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value or value != value.strip() or " " in value:
        raise DataError(f"{what} label must be a non-empty string without spaces, got {value!r}")
    return value


def _score(value: Any, what: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise DataError(f"{what} score must be a number, got {value!r}")
    return float(value)


def _int(obj: dict, key: str, what: str) -> int:
    value = obj.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise DataError(f"{what} {key!r} must be an integer, got {value!r}")
    return value


def _entity(obj: Any) -> Entity:
    if not isinstance(obj, dict):
        raise DataError(f"an entity must be an object, got {obj!r}")
    label = _label(obj.get("label"), "entity")
    return Entity(_int(obj, "start", "entity"), _int(obj, "end", "entity"), label,
                  _score(obj.get("score"), "entity"))


def _sentence(obj: Any) -> Sentence:
    if not isinstance(obj, dict):
        raise DataError(f"a sentence must be an object, got {obj!r}")
    labels = obj.get("labels") or []
    if not isinstance(labels, list):
        raise DataError(f"sentence labels must be a list of strings, got {labels!r}")
    labels = [_label(x, "sentence") for x in labels]
    if len(set(labels)) != len(labels):
        raise DataError(f"sentence labels repeat: {labels!r}")
    scores = obj.get("scores")
    if scores is not None and not isinstance(scores, dict):
        raise DataError(f"sentence scores must be an object, got {scores!r}")
    return Sentence(_int(obj, "start", "sentence"), _int(obj, "end", "sentence"), tuple(labels),
                    None if scores is None else {str(k): _score(v, "sentence")
                                                 for k, v in scores.items()})


def validate_article(article: Article, *, entity_labels: Iterable[str] | None = None,
                     sentence_labels: Iterable[str] | None = None) -> None:
    """Raise DataError (with the article id) on the first problem; return None when valid.

    Checks: offsets inside the text and not reversed; entity spans neither overlapping nor nested
    nor whitespace-only; sentence spans inside the text and not overlapping; labels within the
    declared label sets when given.
    """
    n = len(article.text)
    ents = set(entity_labels) if entity_labels is not None else None
    sents = set(sentence_labels) if sentence_labels is not None else None

    def fail(reason: str) -> None:
        raise DataError(reason, article_id=article.id)

    previous: Entity | None = None
    for ent in sorted(article.entities, key=lambda e: (e.start, e.end)):
        if ent.start > ent.end:
            fail(f"entity {ent.label} [{ent.start}, {ent.end}) is reversed (start > end)")
        if ent.start == ent.end:
            fail(f"entity {ent.label} [{ent.start}, {ent.end}) is empty")
        if ent.start < 0 or ent.end > n:
            fail(f"entity {ent.label} [{ent.start}, {ent.end}) is outside the text (length {n})")
        if not article.text[ent.start:ent.end].strip():
            fail(f"entity {ent.label} [{ent.start}, {ent.end}) covers only whitespace")
        if ents is not None and ent.label not in ents:
            fail(f"unknown entity label {ent.label!r} (declared: {', '.join(sorted(ents))})")
        if previous is not None and ent.start < previous.end:
            kind = "nested in" if ent.end <= previous.end else "overlaps"
            fail(f"entity {ent.label} [{ent.start}, {ent.end}) {kind} "
                 f"{previous.label} [{previous.start}, {previous.end})")
        previous = ent

    prev_s: Sentence | None = None
    for sent in sorted(article.sentences or [], key=lambda s: (s.start, s.end)):
        if sent.start >= sent.end:
            fail(f"sentence [{sent.start}, {sent.end}) is empty or reversed")
        if sent.start < 0 or sent.end > n:
            fail(f"sentence [{sent.start}, {sent.end}) is outside the text (length {n})")
        if prev_s is not None and sent.start < prev_s.end:
            fail(f"sentence [{sent.start}, {sent.end}) overlaps sentence "
                 f"[{prev_s.start}, {prev_s.end})")
        if sents is not None:
            unknown = [x for x in sent.labels if x not in sents]
            if unknown:
                fail(f"unknown sentence label(s) {unknown} (declared: {', '.join(sorted(sents))})")
        prev_s = sent
