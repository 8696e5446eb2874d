"""Pretraining inputs: sentences to ids, packing into sequences, whole-word masks."""
from __future__ import annotations

import numpy as np
import torch

SEQ_LEN = 128
MASK_RATE = 0.15  # BERT's and ELECTRA's rate


def bf16_native() -> bool:
    """Whether this CPU runs bf16 matmuls natively (elsewhere bf16 is emulated and slower than fp32)."""
    return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())


def encode(tokenizer, sentences: list[list[str]]) -> list[tuple[list[int], list[int]]]:
    """(token ids, word index per token) per sentence, without special tokens."""
    out = []
    for words in sentences:
        enc = tokenizer(words, is_split_into_words=True, add_special_tokens=False, verbose=False)
        out.append((enc["input_ids"], enc.word_ids()))
    return out


def pack(encoded, tokenizer, seq_len: int = SEQ_LEN) -> list[tuple[list[int], list[int]]]:
    """Concatenate consecutive sentences into [CLS] ... [SEP] sequences of at most ``seq_len`` tokens.

    Packing wastes no compute on padding; word ids stay unique per sequence so whole words mask together.
    Special tokens get word id -1 (never masked). Over-long sentences are cut at word boundaries.
    """
    room = seq_len - 2
    seqs: list[tuple[list[int], list[int]]] = []
    ids: list[int] = []
    wids: list[int] = []

    def flush():
        if ids:
            seqs.append(([tokenizer.cls_token_id] + ids + [tokenizer.sep_token_id], [-1] + wids + [-1]))
        ids.clear()
        wids.clear()

    for sent_ids, sent_wids in encoded:
        for start in range(0, len(sent_ids), room):  # a sentence longer than room becomes pieces
            piece, pw = sent_ids[start:start + room], sent_wids[start:start + room]
            if len(ids) + len(piece) > room:
                flush()
            base = (wids[-1] + 1) if wids else 0
            first = pw[0]
            ids.extend(piece)
            wids.extend(base + w - first for w in pw)
    flush()
    return seqs


def mask_batch(seqs, tokenizer, rng: np.random.RandomState, rate: float = MASK_RATE):
    """Pad and whole-word-mask a batch: pick words until ~rate of tokens, then 80/10/10 per token."""
    width = max(len(s[0]) for s in seqs)
    input_ids = np.full((len(seqs), width), tokenizer.pad_token_id, dtype=np.int64)
    labels = np.full((len(seqs), width), -100, dtype=np.int64)
    attention = np.zeros((len(seqs), width), dtype=np.int64)
    vocab = len(tokenizer)
    for row, (ids, wids) in enumerate(seqs):
        input_ids[row, :len(ids)] = ids
        attention[row, :len(ids)] = 1
        words: dict[int, list[int]] = {}
        for pos, w in enumerate(wids):
            if w >= 0:
                words.setdefault(w, []).append(pos)
        budget = max(1, round((len(ids) - 2) * rate))
        chosen: list[int] = []
        for w in rng.permutation(sorted(words)):
            if len(chosen) >= budget:
                break
            if len(chosen) + len(words[w]) > budget + 1:
                continue  # a long word would overshoot the rate; try a shorter one
            chosen.extend(words[w])
        for pos in chosen:
            labels[row, pos] = ids[pos]
            r = rng.random_sample()
            if r < 0.8:
                input_ids[row, pos] = tokenizer.mask_token_id
            elif r < 0.9:
                input_ids[row, pos] = rng.randint(5, vocab)  # any non-special token
    return {"input_ids": torch.from_numpy(input_ids), "attention_mask": torch.from_numpy(attention),
            "labels": torch.from_numpy(labels)}
