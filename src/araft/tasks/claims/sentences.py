"""Claims records: sentence classification, multi-label (claim / obstacle / ...) or one label of several
(OBJ / SUBJ).

A sentence's input is its words (the spine, araft.corpus.segment), each preprocessed the model's way
and tokenised once (WordEncoder), concatenated as ``[CLS] ids [SEP]``. With context k, the k
previous and k next sentences of the same article follow as a second segment (token type 1),
``[CLS] sentence [SEP] previous next [SEP]``, cut from their far ends when room runs out or, with
context_words n, to the n words on each side nearest the sentence (a shorter input). A sentence
longer than the model's limit is truncated, and every such sentence is counted and logged.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from araft.corpus.article import Article
from araft.corpus.segment import article_sentences, article_words
from araft.encoding import PadCollator, WordEncoder
from araft.errors import DataError

log = logging.getLogger(__name__)


@dataclass
class SentenceItem:
    article: int                    # index of the article in the input list
    span: tuple[int, int]           # sentence offsets in the article text
    words: list[str]
    prev: list[str]                 # context words before (empty without context)
    next: list[str]                 # context words after
    gold: tuple[str, ...] | None    # gold labels when the article is annotated


def neighbours(texts: Sequence[Sequence[str]], k: int, context: int,
               max_words: int | None = None) -> tuple[list[str], list[str]]:
    """The words of the ``context`` sentences before and after sentence k; with ``max_words``,
    only that many on each side, those nearest the sentence."""
    prev = [w for ws in texts[max(0, k - context):k] for w in ws]
    nxt = [w for ws in texts[k + 1:k + 1 + context] for w in ws]
    if max_words is not None:
        prev, nxt = prev[-max_words:], nxt[:max_words]  # max_words >= 1 (config check)
    return prev, nxt


def sentence_items(articles: Sequence[Article], *, with_gold: bool, context: int = 0,
                   context_words: int | None = None,
                   source: str | None = None) -> list[SentenceItem]:
    """Every sentence of every article, in text order. With gold, an article must carry its own
    sentence spans: without them it has no sentence labels, and is refused (never read as 'no
    label anywhere')."""
    out: list[SentenceItem] = []
    for i, art in enumerate(articles):
        if art.sentences is not None:
            spans = sorted((s.start, s.end, s.labels) for s in art.sentences)
        elif with_gold:
            raise DataError("the article has no sentence spans ('sentences' is absent), so it has "
                            "no sentence labels; annotate its sentences (ANNOTATION.md, layer 2) "
                            "or leave it out of the claims data", path=source, article_id=art.id)
        else:
            spans = [(s, e, ()) for s, e in article_sentences(art)]
        words = [[w.text for w in article_words(art, s, e)] for s, e, _ in spans]
        for k, (start, end, labels) in enumerate(spans):
            prev, nxt = neighbours(words, k, context, context_words)
            out.append(SentenceItem(i, (start, end), words[k], prev, nxt,
                                    tuple(labels) if with_gold else None))
    return out


def _flat(ids: Sequence[Sequence[int]]) -> list[int]:
    return [t for word in ids for t in word]


def encode_sentence(encoder: WordEncoder, words: Sequence[str], prev: Sequence[str],
                    nxt: Sequence[str], *, max_length: int, context: int) -> tuple[dict, bool]:
    """(features with input_ids [and token_type_ids], whether the sentence itself was truncated).

    The sentence has priority; context fills the room left, split evenly between the two sides
    (a short side leaves its share to the other), and loses its far ends first."""
    tok = encoder.tokenizer
    sent = _flat(encoder.ids(list(words)))
    budget = max_length - (3 if context else 2)
    truncated = len(sent) > budget
    sent = sent[:budget]
    if not context:
        return {"input_ids": [tok.cls_token_id, *sent, tok.sep_token_id]}, truncated
    first = [tok.cls_token_id, *sent, tok.sep_token_id]
    return with_context(first, _flat(encoder.ids(list(prev))), _flat(encoder.ids(list(nxt))),
                        max_length=max_length, sep_id=tok.sep_token_id), truncated


def with_context(first: list[int], before: list[int], after: list[int], *, max_length: int,
                 sep_id: int) -> dict:
    """``[CLS] sentence [SEP]`` (``first``) followed by the context segment ``before after [SEP]``
    (token type 1) in the room left, split evenly between the two sides (a short side leaves its
    share to the other), each losing its far end first."""
    room = max(0, max_length - len(first) - 1)
    keep_before = min(len(before), max(room // 2, room - len(after)))
    keep_after = min(len(after), room - keep_before)
    second = [*before[len(before) - keep_before:], *after[:keep_after], sep_id]
    return {"input_ids": first + second, "token_type_ids": [0] * len(first) + [1] * len(second)}


def log_truncated(n_truncated: int, n_total: int, max_length: int, what: str) -> None:
    if n_truncated:
        log.warning("%s: %d of %d sentences are longer than max_length=%d subwords and were "
                    "truncated to it", what, n_truncated, n_total, max_length)


class SentenceCollator:
    """Dynamic padding (PadCollator) plus one label row per sentence: a float multi-hot vector
    (multi-label) or a class index (single label)."""

    def __init__(self, pad_id: int, multi_label: bool):
        self.pad = PadCollator(pad_id)
        self.multi_label = multi_label

    def __call__(self, features: list[dict]) -> dict:
        import torch

        batch = self.pad([{k: v for k, v in f.items() if k != "labels"} for f in features])
        if "labels" in features[0]:
            dtype = torch.float32 if self.multi_label else torch.long
            batch["labels"] = torch.tensor([f["labels"] for f in features], dtype=dtype)
        return batch


def gold_matrix(items: Sequence[SentenceItem], articles: Sequence[Article],
                labels: Sequence[str], source: str | None = None) -> np.ndarray:
    """Binary [n_sentences, n_labels] gold; a label the model does not know is an error."""
    index = {name: k for k, name in enumerate(labels)}
    out = np.zeros((len(items), len(labels)), dtype=bool)
    for row, item in enumerate(items):
        for name in item.gold or ():
            if name not in index:
                raise DataError(f"sentence [{item.span[0]}, {item.span[1]}) has label {name!r}, "
                                f"which the model does not know (labels: {', '.join(labels)})",
                                path=source, article_id=articles[item.article].id)
            out[row, index[name]] = True
    return out
