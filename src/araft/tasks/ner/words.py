"""NER records: the words of every sentence with their gold IOB2 tags, the tag list, and
per-word tags back to entity spans on the original text."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Iterable, Sequence

from araft.corpus.article import Article, Entity
from araft.corpus.segment import Word, article_sentences, article_words
from araft.corpus.tags import iob2_chunks, repair_iob2, spans_to_tags


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


def decode_entities(words: Sequence[Word], tags: Sequence[str],
                    probs: Sequence[float]) -> list[Entity]:
    """IOB2 word tags -> entities with character offsets; score = mean word probability. An I-X
    that does not continue an X entity starts one (repaired, as the metrics score it)."""
    ents: list[Entity] = []
    for label, first, end in iob2_chunks(repair_iob2(tags)):
        start, stop = visible_bounds(words[first], words[end - 1])
        ents.append(Entity(start, stop, label, sum(probs[first:end]) / (end - first)))
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
