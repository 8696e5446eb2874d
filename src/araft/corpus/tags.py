"""IOB2 tag helpers shared by every reader, writer, encoder and metric.

The project's one tag scheme is IOB2 (every entity starts with B-). Files in IOB1 or BIOES/BILOU are
converted on read. Character spans and word tags meet here: ``spans_to_tags`` projects spans onto
words (a word that overlaps a span carries its tag, see ANNOTATION.md) and ``tags_to_spans`` goes
back (a span runs from its first word's start to its last word's end).
"""
from __future__ import annotations

import logging
from functools import lru_cache
from typing import Iterable, Mapping, Protocol, Sequence

from araft.corpus.article import Entity
from araft.errors import DataError

log = logging.getLogger(__name__)

SCHEMES = ("auto", "iob1", "iob2", "bioes")
# BILOU spells BIOES' E- and S- as L- and U-; both read the same way.
_PREFIXES = {"B", "I", "E", "S", "L", "U"}
_END = {"E", "L"}
_SINGLE = {"S", "U"}


class HasSpan(Protocol):
    start: int
    end: int


def parse_label_map(spec: str | Mapping[str, str] | None) -> dict[str, str]:
    """``"PER=PERS,MIS=MISC"`` (or a mapping) -> ``{"PER": "PERS", "MIS": "MISC"}``."""
    if spec is None:
        return {}
    if isinstance(spec, Mapping):
        return {str(k): str(v) for k, v in spec.items()}
    out: dict[str, str] = {}
    for item in spec.split(","):
        if not item.strip():
            continue
        old, sep, new = item.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise DataError(f"bad label map item {item.strip()!r}: expected OLD=NEW")
        out[old.strip()] = new.strip()
    return out


def map_label(label: str, label_map: Mapping[str, str] | None) -> str:
    """An entity type through the label map (unmapped types pass unchanged)."""
    return label_map.get(label, label) if label_map else label


def map_entities(entities: Iterable[Entity], label_map: Mapping[str, str] | None) -> list[Entity]:
    """Entities with their types through the label map."""
    if not label_map:
        return list(entities)
    return [Entity(e.start, e.end, map_label(e.label, label_map), e.score) for e in entities]


@lru_cache(maxsize=4096)  # a corpus has a handful of distinct tags and millions of tag lines
def split_tag(tag: str) -> tuple[str, str | None]:
    """``"B-PERS"`` -> ``("B", "PERS")``; ``"O"`` -> ``("O", None)``. Malformed -> DataError."""
    if tag == "O":
        return "O", None
    prefix, sep, label = tag.partition("-")
    if not sep or prefix not in _PREFIXES or not label or any(c.isspace() for c in label):
        raise DataError(f"malformed tag {tag!r} (expected O or B-/I-/E-/S-/L-/U-TYPE)")
    return prefix, label


def detect_scheme(tags: Iterable[str]) -> str:
    """Guess a tag list's scheme: bioes when E-/S-/L-/U- occur; iob1 when some entity starts with
    I- and no B- ever starts one (B- only splits two same-type neighbours); else iob2."""
    prev: tuple[str, str | None] = ("O", None)
    i_starts = b_starts = 0
    for tag in tags:
        prefix, label = split_tag(tag)
        if prefix in _END or prefix in _SINGLE:
            return "bioes"
        continues = prev[1] == label and prev[0] != "O"
        if prefix == "I" and not continues:
            i_starts += 1
        elif prefix == "B" and not continues:
            b_starts += 1
        prev = (prefix, label)
    return "iob1" if i_starts and not b_starts else "iob2"


def _where(where: str | Sequence[tuple[str | None, int | None]] | None, i: int):
    """(path, line) of tag i: ``where`` is a path for all tags or one (path, line) per tag."""
    if where is None:
        return None, None
    if isinstance(where, str):
        return where, None
    return where[i]


def normalize_tags(tags: Sequence[str], scheme: str = "auto", strict: bool = False,
                   where: str | Sequence[tuple[str | None, int | None]] | None = None,
                   label_map: Mapping[str, str] | None = None,
                   repairs: list[str] | None = None) -> list[str]:
    """Any of IOB1 / IOB2 / BIOES / BILOU -> IOB2, with the label map applied to each type.

    In IOB2 and BIOES, an I- (or E-) that does not continue an entity of its type (after O, at the
    start, or after another type) is repaired to B- with a logged warning, or is a DataError when
    ``strict``. ``where`` locates tags in messages: a path, or one (path, line) per tag.
    ``repairs``: a list to append each repair message to instead of logging it (a reader then
    logs a summary rather than one warning per line).
    """
    if scheme not in SCHEMES:
        raise ValueError(f"unknown tag scheme {scheme!r} (choose from {', '.join(SCHEMES)})")
    parts = []
    for i, tag in enumerate(tags):
        try:
            prefix, label = split_tag(tag)
        except DataError as err:
            raise err.at(**dict(zip(("path", "line"), _where(where, i)))) from None
        parts.append((prefix, map_label(label, label_map) if label else None))
    if scheme == "auto":
        scheme = detect_scheme(tags)

    out: list[str] = []
    prev_label: str | None = None  # type of the entity the previous word is inside, if any
    for i, (prefix, label) in enumerate(parts):
        if prefix == "O":
            out.append("O")
            prev_label = None
            continue
        continues = prev_label == label
        if prefix in _SINGLE or prefix == "B":
            out.append(f"B-{label}")
        elif continues:  # I, E, L inside an entity of the same type
            out.append(f"I-{label}")
        elif scheme == "iob1":  # IOB1 starts entities with I-: legal, not a repair
            out.append(f"B-{label}")
        else:
            path, line = _where(where, i)
            before = "at the start of the sentence" if i == 0 else f"after {tags[i - 1]!r}"
            reason = f"tag {tags[i]!r} {before} does not continue an entity"
            if strict:
                raise DataError(reason, path=path, line=line)
            loc = f"{path}:{line}" if path and line else (path or (f"line {line}" if line else f"tag {i}"))
            message = f"{loc}: {reason}; repaired to B-{label}"
            if repairs is None:
                log.warning("%s", message)
            else:
                repairs.append(message)
            out.append(f"B-{label}")
        # an entity ends after E-/L-/S-/U- in BIOES, so the next I- cannot continue it
        prev_label = None if prefix in _END or prefix in _SINGLE else label
    return out


def spans_to_tags(words: Sequence[HasSpan], entities: Iterable[Entity]) -> list[str]:
    """IOB2 tag per word: a word overlapping a span carries its type, B- on the span's first word.

    Words are in text order and do not overlap. A word that overlaps two spans takes the first
    one (spans are projected onto words, so two entities inside one word cannot both survive).
    """
    spans = sorted(entities, key=lambda e: (e.start, e.end))
    tags = ["O"] * len(words)
    k = 0
    previous: int | None = None  # index of the span the previous word carried
    for w, word in enumerate(words):
        while k < len(spans) and spans[k].end <= word.start:
            k += 1
        if k < len(spans) and spans[k].start < word.end and word.start < word.end:
            tags[w] = f"{'I' if previous == k else 'B'}-{spans[k].label}"
            previous = k
        else:
            previous = None
    return tags


def repair_iob2(tags: Sequence[str]) -> list[str]:
    """I-X that does not continue an X entity becomes B-X (the model's output may be invalid)."""
    out: list[str] = []
    prev = "O"
    for tag in tags:
        if tag.startswith("I-") and prev[2:] != tag[2:]:
            tag = "B-" + tag[2:]
        out.append(tag)
        prev = tag
    return out


def iob2_chunks(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """Entities (type, start, end-exclusive) of one sentence under strict IOB2, in order.

    araft's one IOB2 decoder: an entity is a B-X followed by any run of I-X; an I- tag that does
    not continue one is not an entity (seqeval's strict reading). Lenient readers repair first
    (``repair_iob2``), which turns such a tag into the start of an entity.
    """
    found = []
    i, n = 0, len(tags)
    while i < n:
        tag = tags[i]
        if tag.startswith("B-"):
            kind, j = tag[2:], i + 1
            inside = "I-" + kind
            while j < n and tags[j] == inside:
                j += 1
            found.append((kind, i, j))
            i = j
        else:
            i += 1
    return found


def tags_to_spans(words: Sequence[HasSpan], tags: Sequence[str]) -> list[Entity]:
    """Entities from per-word tags: first word's start to last word's end.

    An I-X that does not continue an X entity starts a new one (the lenient reading); normalise
    with ``normalize_tags`` first to get warnings or errors for that. BIOES/BILOU prefixes are read
    as B- (S-, U-) or I- (E-, L-), so an entity goes on while its type does.
    """
    if len(words) != len(tags):
        raise DataError(f"{len(words)} words but {len(tags)} tags")
    iob2 = []
    for tag in tags:
        prefix, typ = split_tag(tag)  # validates every tag
        iob2.append("O" if prefix == "O" else f"{'B' if prefix in ('B', *_SINGLE) else 'I'}-{typ}")
    return [Entity(words[start].start, words[end - 1].end, label)
            for label, start, end in iob2_chunks(repair_iob2(iob2))]
