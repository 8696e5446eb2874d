"""A deterministic WordPiece vocabulary trainer.

`tokenizers`' WordPieceTrainer (a BPE trainer underneath) breaks ties between equally frequent pairs by
hash-map order, so two runs on the same text give different vocabularies (measured: 30 of 10k tokens
differ, and most ids move). This trainer does the same BPE-style merging with ties broken by the
pair's strings, so the vocabulary depends on the text only. Inference is unchanged: the result is a
plain WordPiece vocabulary for `tokenizers.models.WordPiece` (greedy longest match).
"""
from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from typing import Iterable

PREFIX = "##"


def _symbols(word: str) -> tuple[str, ...]:
    return (word[0],) + tuple(PREFIX + c for c in word[1:])


def _join(a: str, b: str) -> str:
    return a + b[len(PREFIX):]


def _pairs(symbols: tuple[str, ...]) -> Counter:
    return Counter(zip(symbols, symbols[1:]))


def train_vocab(word_counts: dict[str, int], vocab_size: int, special_tokens: list[str],
                min_frequency: int = 2) -> list[str]:
    """Vocabulary in id order: specials, the sorted alphabet, then merged pieces in merge order."""
    words = sorted(word_counts)  # fixed order: the result must not depend on input order
    counts = [word_counts[w] for w in words]
    symbols = [_symbols(w) for w in words]
    alphabet = sorted({s for syms in symbols for s in syms})
    vocab = list(special_tokens) + [a for a in alphabet if a not in special_tokens]
    known = set(vocab)

    pair_count: Counter = Counter()
    where: dict[tuple[str, str], set[int]] = defaultdict(set)
    for i, syms in enumerate(symbols):
        for pair, n in _pairs(syms).items():
            pair_count[pair] += n * counts[i]
            where[pair].add(i)
    # Max-heap on count, ties broken by the smaller pair (string order); stale entries are skipped.
    heap = [(-c, p) for p, c in pair_count.items()]
    heapq.heapify(heap)

    while len(vocab) < vocab_size and heap:
        neg, pair = heapq.heappop(heap)
        if pair_count.get(pair, 0) != -neg:
            continue  # stale: the count changed after this entry was pushed
        if -neg < min_frequency:
            break
        new = _join(*pair)
        if new not in known:
            vocab.append(new)
            known.add(new)
        changed: Counter = Counter()
        for i in sorted(where.pop(pair, ())):
            old = symbols[i]
            merged = _merge(old, pair, new)
            for p, n in _pairs(old).items():
                pair_count[p] -= n * counts[i]
                changed[p] += 0
            for p, n in _pairs(merged).items():
                pair_count[p] += n * counts[i]
                where[p].add(i)
                changed[p] += 0
            symbols[i] = merged
        pair_count.pop(pair, None)
        for p in sorted(changed):
            c = pair_count.get(p, 0)
            if c <= 0:
                pair_count.pop(p, None)
            elif p != pair:
                heapq.heappush(heap, (-c, p))
    return vocab


def _merge(syms: tuple[str, ...], pair: tuple[str, str], new: str) -> tuple[str, ...]:
    out: list[str] = []
    i = 0
    while i < len(syms):
        if i + 1 < len(syms) and syms[i] == pair[0] and syms[i + 1] == pair[1]:
            out.append(new)
            i += 2
        else:
            out.append(syms[i])
            i += 1
    return tuple(out)


def count_words(texts: Iterable[str], normalizer, pre_tokenizer) -> dict[str, int]:
    """Word frequencies after the tokenizer's own normaliser and pre-tokeniser."""
    counts: Counter = Counter()
    for text in texts:
        norm = normalizer.normalize_str(text)
        counts.update(w for w, _ in pre_tokenizer.pre_tokenize_str(norm))
    return dict(counts)
