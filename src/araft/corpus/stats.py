"""Corpus statistics: what a reviewer wants to know about a data file before training on it."""
from __future__ import annotations

import statistics
from collections import Counter
from typing import Any, Iterable

from araft.corpus.article import Article
from araft.corpus.segment import article_sentences, article_words

# Sentence length buckets in words; the last ones matter for the model's length limit.
_BUCKETS = [(1, 4), (5, 8), (9, 16), (17, 32), (33, 64), (65, 128), (129, 256), (257, 512)]


def _bucket(n: int) -> str:
    if n == 0:
        return "0"
    for low, high in _BUCKETS:
        if low <= n <= high:
            return f"{low}-{high}"
    return f"{_BUCKETS[-1][1] + 1}+"


def corpus_stats(articles: Iterable[Article]) -> dict[str, Any]:
    """Counts of articles, sentences, words, entities per type, sentence labels, and the sentence
    length distribution in words (by the project's segmentation: the article's own sentence spans
    when it has them, else the splitter's)."""
    n_articles = n_sentences = n_words = labelled = segmented = 0
    entities: Counter[str] = Counter()
    labels: Counter[str] = Counter()
    lengths: list[int] = []
    for article in articles:
        n_articles += 1
        entities.update(e.label for e in article.entities)
        if article.sentences is None:
            segmented += 1
        else:
            for sent in article.sentences:
                labels.update(sent.labels)
                labelled += bool(sent.labels)
        for start, end in article_sentences(article):
            n = len(article_words(article, start, end))
            lengths.append(n)
            n_words += n
        n_sentences = len(lengths)
    order = [_bucket(low) for low, _ in _BUCKETS] + [f"{_BUCKETS[-1][1] + 1}+"]
    found = Counter(_bucket(n) for n in lengths)
    histogram = {key: found[key] for key in (["0"] if found["0"] else []) + order}
    return {
        "articles": n_articles,
        "articles_without_sentence_spans": segmented,
        "sentences": n_sentences,
        "words": n_words,
        "entities": dict(sorted(entities.items())),
        "entities_total": sum(entities.values()),
        "sentence_labels": dict(sorted(labels.items())),
        "sentences_with_labels": labelled,
        "sentence_length": {
            "min": min(lengths, default=0),
            "max": max(lengths, default=0),
            "mean": round(statistics.fmean(lengths), 2) if lengths else 0.0,
            "median": statistics.median(lengths) if lengths else 0,
            "histogram": histogram,
        },
    }


def render_stats(stats: dict[str, Any], title: str | None = None) -> str:
    """Plain-text rendering of ``corpus_stats`` for the terminal."""
    lines = [title] if title else []
    lines += [
        f"articles   {stats['articles']:>10,}"
        + (f"  ({stats['articles_without_sentence_spans']:,} split by the segmenter)"
           if stats["articles_without_sentence_spans"] else ""),
        f"sentences  {stats['sentences']:>10,}",
        f"words      {stats['words']:>10,}",
        f"entities   {stats['entities_total']:>10,}",
    ]
    for label, count in stats["entities"].items():
        lines.append(f"  {label:<12} {count:>8,}")
    lines.append(f"sentence labels ({stats['sentences_with_labels']:,} sentences with any)")
    for label, count in stats["sentence_labels"].items():
        lines.append(f"  {label:<12} {count:>8,}")
    length = stats["sentence_length"]
    lines.append(f"sentence length in words: min {length['min']}, median {length['median']}, "
                 f"mean {length['mean']}, max {length['max']}")
    total = max(1, stats["sentences"])
    widest = max(length["histogram"].values(), default=0) or 1
    for key, count in length["histogram"].items():
        bar = "#" * round(40 * count / widest)
        lines.append(f"  {key:>8} {count:>8,} {100 * count / total:5.1f}% {bar}")
    return "\n".join(lines)
