"""NER: words in IOB2, first-subword labels, spans back on the original text."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Iterable, Sequence

from araft.corpus.article import Article, Entity
from araft.corpus.segment import Word, article_sentences, article_words
from araft.corpus.tags import spans_to_tags


def tag_list(entity_types: Iterable[str]) -> list[str]:
    """O first, then B-/I- per type in sorted order (stable ids across runs)."""
    tags = ["O"]
    for t in sorted(set(entity_types)):
        tags += [f"B-{t}", f"I-{t}"]
    return tags


@dataclass
class SentenceWords:
    article: int            # index of the article in the input list
    span: tuple[int, int]   # sentence offsets in the article text
    words: list[Word]
    gold: list[str] | None  # IOB2 per word when the article is annotated


def sentence_words(articles: Sequence[Article], with_gold: bool = True) -> list[SentenceWords]:
    """Every sentence of every article with its words (offsets into the original text)."""
    out = []
    for i, art in enumerate(articles):
        for start, end in article_sentences(art):
            words = article_words(art, start, end)
            if not words:
                continue
            gold = None
            if with_gold:
                inside = [e for e in art.entities if e.start < end and e.end > start]
                gold = spans_to_tags(words, inside)
            out.append(SentenceWords(i, (start, end), words, gold))
    return out


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


def decode_entities(words: Sequence[Word], tags: Sequence[str],
                    probs: Sequence[float]) -> list[Entity]:
    """IOB2 word tags -> entities with character offsets; score = mean word probability."""
    ents: list[Entity] = []
    cur: list[int] = []
    label = None

    def close() -> None:
        if cur:
            score = sum(probs[k] for k in cur) / len(cur)
            start, end = visible_bounds(words[cur[0]], words[cur[-1]])
            ents.append(Entity(start, end, label, score))

    for k, tag in enumerate(repair_iob2(tags)):
        if tag.startswith("B-") or tag == "O":
            close()
            cur, label = ([k], tag[2:]) if tag != "O" else ([], None)
        else:
            cur.append(k)
    close()
    return ents


def visible_bounds(first: Word, last: Word) -> tuple[int, int]:
    """Span offsets without invisible format characters (U+200E/U+200F marks, ZWJ, ...) at
    either end: the segmenter keeps them inside words so offsets stay exact, but a span that
    ends in a mark looks like the name yet compares unequal to it."""
    lead = 0
    while lead < len(first.text) and unicodedata.category(first.text[lead]) == "Cf":
        lead += 1
    trail = len(last.text)
    while trail > 0 and unicodedata.category(last.text[trail - 1]) == "Cf":
        trail -= 1
    start, end = first.start + lead, last.start + trail
    return (start, end) if start < end else (first.start, last.end)  # all marks: keep as is
