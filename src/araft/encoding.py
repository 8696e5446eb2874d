"""Words -> subwords: first-subword labels, overlapping windows, dynamic-padding collation.

Each distinct word is preprocessed and tokenised once (``WordEncoder``); a sentence's input ids are
the concatenation of its words' ids. For WordPiece tokenisers this equals tokenising the sentence
with ``is_split_into_words=True`` (benchmarks/ check it), at a fraction of the cost.

A sentence longer than ``max_length`` is cut into windows of whole words that overlap by ``stride``
words. Every word is *owned* by exactly one window (overlaps are split in the middle, so each owned
word has context on both sides); predictions are read from the owner only.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

IGNORE = -100


@dataclass(frozen=True)
class Window:
    start: int      # first word in the window
    end: int        # one past the last word
    own_start: int  # words [own_start, own_end) are predicted from this window
    own_end: int


class WordEncoder:
    """word -> subword ids (preprocessed first), cached per distinct word."""

    def __init__(self, tokenizer, preprocess: Callable[[str], str]):
        self.tokenizer = tokenizer
        self.preprocess = preprocess
        self.unk_id = tokenizer.unk_token_id
        self._ids: dict[str, list[int]] = {}

    def ids(self, words: Sequence[str]) -> list[list[int]]:
        """Subword ids of each word. Give a whole corpus at once where you can: new words are
        preprocessed and tokenised in one batch."""
        new = list(dict.fromkeys(w for w in words if w not in self._ids))
        if new:
            many = getattr(self.preprocess, "many", None)
            pre = many(new) if many else [self.preprocess(w) for w in new]
            batch = _tokenize_each(self.tokenizer, pre)
            for word, ids in zip(new, batch):
                # A word that preprocesses to nothing (a lone diacritic, a stray mark) still needs
                # a position, or it could get no prediction: it becomes the unknown token.
                self._ids[word] = ids or [self.unk_id]
        return [self._ids[w] for w in words]

    def sentence_ids(self, sentences: Sequence[Sequence[str]]) -> list[list[list[int]]]:
        """``ids`` of each sentence's words, with the new words of all sentences in one batch."""
        flat = iter(self.ids([w for words in sentences for w in words]))
        return [[next(flat) for _ in words] for words in sentences]


def _tokenize_each(tokenizer, texts: list[str]) -> list[list[int]]:
    """Subword ids of each text, as ``tokenizer(texts, add_special_tokens=False)`` gives them.

    A fast tokenizer encodes all texts as the words of one pre-tokenized sequence: one Rust call
    and one Encoding instead of one per text, whose Python wrapping would cost more than the
    tokenising itself. Each text is normalised and split on its own either way."""
    backend = getattr(tokenizer, "backend_tokenizer", None)
    if backend is None:
        return tokenizer(texts, add_special_tokens=False)["input_ids"]
    enc = backend.encode(texts, is_pretokenized=True, add_special_tokens=False)
    out: list[list[int]] = [[] for _ in texts]
    for token_id, word in zip(enc.ids, enc.word_ids):
        out[word].append(token_id)
    return out


def plan_windows(lengths: Sequence[int], budget: int, stride: int) -> list[Window]:
    """Cut words with these subword ``lengths`` into windows of at most ``budget`` subwords."""
    n = len(lengths)
    if n == 0:
        return []
    if budget < 1:
        raise ValueError("budget must be positive")
    spans: list[tuple[int, int]] = []
    start = 0
    while True:
        end, total = start, 0
        while end < n and (end == start or total + min(lengths[end], budget) <= budget):
            total += min(lengths[end], budget)
            end += 1
        spans.append((start, end))
        if end >= n:
            break
        # overlap by `stride` words, but always advance
        start = max(start + 1, end - stride)
    windows = []
    for i, (s, e) in enumerate(spans):
        own_s = 0 if i == 0 else windows[-1].own_end
        if i + 1 < len(spans):
            nxt = spans[i + 1][0]
            own_e = max(own_s, (nxt + e + 1) // 2)
        else:
            own_e = e
        windows.append(Window(s, e, own_s, own_e))
    return windows


def encode_words(word_ids: Sequence[Sequence[int]], labels: Sequence[int] | None, *,
                 max_length: int, stride: int, cls_id: int, sep_id: int,
                 label_all: bool) -> list[dict]:
    """One sentence (per-word subword ids, per-word label ids) -> window features.

    Each feature has ``input_ids``, ``labels`` (label on the first subword of each labelled word,
    IGNORE elsewhere), ``first`` (position of each owned word's first subword) and ``word_start``
    (index of the first owned word). ``label_all`` labels every word of a window (training);
    otherwise only owned words (evaluation: each word counted once).
    """
    budget = max_length - 2
    lengths = [len(ids) for ids in word_ids]
    if sum(lengths) <= budget:  # the common case: one window that owns every word
        windows = [Window(0, len(lengths), 0, len(lengths))]
    else:
        windows = plan_windows([min(n, budget) for n in lengths], budget, stride)
    out = []
    for win in windows:
        input_ids = [cls_id]
        lab = [IGNORE]
        first = []
        for w in range(win.start, win.end):
            ids = word_ids[w][:budget]  # only a word longer than the window loses tail subwords
            owned = win.own_start <= w < win.own_end
            if owned:
                first.append(len(input_ids))
            tag = IGNORE
            if labels is not None and (label_all or owned):
                tag = labels[w]
            input_ids.extend(ids)
            lab.extend([tag] + [IGNORE] * (len(ids) - 1))
        input_ids.append(sep_id)
        lab.append(IGNORE)
        out.append({"input_ids": input_ids, "labels": lab, "first": first,
                    "word_start": win.own_start})
    return out


class PadCollator:
    """Dynamic padding to the longest sequence of the batch (labels padded with IGNORE)."""

    def __init__(self, pad_id: int, pad_to_multiple_of: int | None = None):
        self.pad_id = pad_id
        self.multiple = pad_to_multiple_of

    def __call__(self, features: list[dict]) -> dict:
        import torch

        longest = max(len(f["input_ids"]) for f in features)
        if self.multiple:
            longest = -(-longest // self.multiple) * self.multiple
        batch: dict[str, list] = {"input_ids": [], "attention_mask": []}
        has_tokens_labels = "labels" in features[0] and isinstance(features[0]["labels"], list)
        if has_tokens_labels:
            batch["labels"] = []
        for f in features:
            pad = longest - len(f["input_ids"])
            batch["input_ids"].append(list(f["input_ids"]) + [self.pad_id] * pad)
            batch["attention_mask"].append([1] * len(f["input_ids"]) + [0] * pad)
            if has_tokens_labels:
                batch["labels"].append(list(f["labels"]) + [IGNORE] * pad)
        out = {k: torch.tensor(v, dtype=torch.long) for k, v in batch.items()}
        if "token_type_ids" in features[0]:
            out["token_type_ids"] = torch.tensor(
                [list(f["token_type_ids"]) + [0] * (longest - len(f["token_type_ids"]))
                 for f in features], dtype=torch.long)
        if "labels" in features[0] and not has_tokens_labels:
            out["labels"] = torch.tensor([f["labels"] for f in features])
        return out
