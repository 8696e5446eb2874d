"""Joint records: every sentence of every article with its words, its gold entity tags (when the
file annotates entities) and its gold sentence labels (when the article has sentence spans), and
the windows one forward pass reads.

A sentence is cut into windows as NER cuts it (araft.encoding.encode_words: long sentences get
overlapping windows, each word owned by one). With context k, the k previous and next sentences
follow in the room a window leaves (at most context_words words on each side), as the claims task
adds them (token type 1, never labelled).
Every window of a sentence carries the sentence's labels; at prediction the sentence's
probabilities are the mean over its windows.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from araft.corpus.article import Article
from araft.corpus.segment import Word, article_sentences, article_words
from araft.corpus.tags import spans_to_tags
from araft.encoding import IGNORE, PadCollator, WordEncoder, encode_words
from araft.errors import DataError
from araft.tasks.claims.sentences import neighbours, with_context


@dataclass(frozen=True)
class Layers:
    """Which annotation layers a file carries, so each feeds only its own loss."""
    entities: bool
    sentences: bool


def file_layers(articles: Sequence[Article]) -> Layers:
    """Entities: some article has an entity (a file annotating no entity at all is sentence-only
    data). Sentences: some sentence carries a label (CoNLL files keep their sentence spans without
    labels: entity-only data). A file with sentence labels must give every article its spans,
    else the others would read as 'no label anywhere'."""
    labelled = any(s.labels for a in articles for s in a.sentences or ())
    if labelled:
        bad = next((a for a in articles if a.sentences is None), None)
        if bad is not None:
            raise DataError("other articles of this file have labelled sentences and this one has "
                            "no sentence spans; annotate its sentences or leave it out",
                            article_id=bad.id)
    return Layers(entities=any(a.entities for a in articles), sentences=labelled)


@dataclass
class JointItem:
    article: int                      # index of the article in the input list
    span: tuple[int, int]             # sentence offsets in the article text
    words: list[Word]
    tags: list[str] | None            # gold IOB2 per word (entity layer annotated)
    labels: tuple[str, ...] | None    # gold sentence labels (sentence layer annotated)
    prev: list[str]                   # context words before (empty without context)
    next: list[str]


def joint_items(articles: Sequence[Article], layers: Layers, *, context: int = 0,
                context_words: int | None = None) -> list[JointItem]:
    """Every sentence of every article in text order, with the gold of the layers given (context
    as the claims task gives it: araft.tasks.claims.sentences.neighbours)."""
    out: list[JointItem] = []
    for i, art in enumerate(articles):
        if art.sentences is not None:
            spans = sorted((s.start, s.end, tuple(s.labels)) for s in art.sentences)
        else:
            spans = [(s, e, ()) for s, e in article_sentences(art)]
        words = [article_words(art, s, e) for s, e, _ in spans]
        texts = [[w.text for w in ws] for ws in words]
        for k, (start, end, labels) in enumerate(spans):
            tags = None
            if layers.entities:
                inside = [e for e in art.entities if e.start < end and e.end > start]
                tags = spans_to_tags(words[k], inside)
            out.append(JointItem(i, (start, end), words[k], tags,
                                 labels if layers.sentences else None,
                                 *neighbours(texts, k, context, context_words)))
    return out


def sentence_targets(items: Sequence[JointItem], labels: Sequence[str], articles: Sequence[Article],
                     source: str | None = None) -> np.ndarray:
    """[n_items, n_labels] float targets: 0/1, or IGNORE on every label of an unlabelled item."""
    index = {name: k for k, name in enumerate(labels)}
    out = np.full((len(items), len(labels)), float(IGNORE), dtype=np.float32)
    for row, item in enumerate(items):
        if item.labels is None:
            continue
        out[row] = 0.0
        for name in item.labels:
            if name not in index:
                raise DataError(f"sentence [{item.span[0]}, {item.span[1]}) has label {name!r}, "
                                f"which the model does not know (labels: {', '.join(labels)})",
                                path=source, article_id=articles[item.article].id)
            out[row, index[name]] = 1.0
    return out


def encode_item(encoder: WordEncoder, words: Sequence[str], tag_ids: Sequence[int] | None,
                prev: Sequence[str], nxt: Sequence[str], *, max_length: int, stride: int,
                context: int, label_all: bool) -> list[dict]:
    """The windows of one sentence: ``input_ids``, ``labels`` (token tags or IGNORE), ``first``
    and ``word_start`` (as encode_words), and with context ``token_type_ids``."""
    tok = encoder.tokenizer
    ids = encoder.ids(list(words))
    windows = encode_words(ids, tag_ids, max_length=max_length, stride=stride,
                           cls_id=tok.cls_token_id, sep_id=tok.sep_token_id, label_all=label_all)
    if not context:
        return windows
    before = [t for w in encoder.ids(list(prev)) for t in w]
    after = [t for w in encoder.ids(list(nxt)) for t in w]
    for f in windows:
        n = len(f["input_ids"])
        f.update(with_context(f["input_ids"], before, after, max_length=max_length,
                              sep_id=tok.sep_token_id))
        f["labels"] = f["labels"] + [IGNORE] * (len(f["input_ids"]) - n)
    return windows


class JointCollator:
    """Dynamic padding (PadCollator: input ids, token labels, token types) plus one row of
    sentence targets per window."""

    def __init__(self, pad_id: int):
        self.pad = PadCollator(pad_id)

    def __call__(self, features: list[dict]) -> dict:
        import torch

        keep = ("input_ids", "labels", "token_type_ids")
        batch = self.pad([{k: f[k] for k in keep if k in f} for f in features])
        if "sentence_labels" in features[0]:
            batch["sentence_labels"] = torch.tensor([f["sentence_labels"] for f in features],
                                                    dtype=torch.float32)
        return batch
