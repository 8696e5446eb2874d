"""Encoding: windows own every word exactly once; features equal the tokenizer's own alignment."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from araft.encoding import IGNORE, PadCollator, WordEncoder, encode_words, plan_windows
from araft.preprocessing import WordPreprocessor

from conftest import SEED_TXT, TINY_MODEL


@pytest.fixture(scope="module")
def tokenizer():
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(TINY_MODEL)


@given(st.lists(st.integers(1, 12), min_size=1, max_size=200), st.integers(4, 40),
       st.integers(0, 10))
@settings(max_examples=200, deadline=None)
def test_windows_own_every_word_once(lengths, budget, stride):
    windows = plan_windows(lengths, budget, stride)
    owned = [w for win in windows for w in range(win.own_start, win.own_end)]
    assert owned == list(range(len(lengths)))
    for win in windows:
        assert win.start <= win.own_start <= win.own_end <= win.end
        # a window holds more than one word only when they fit the budget
        if win.end - win.start > 1:
            assert sum(min(x, budget) for x in lengths[win.start:win.end]) <= budget
    for a, b in zip(windows, windows[1:]):
        assert b.start > a.start  # always advances
        assert a.end - b.start <= max(stride, 0) or a.end - b.start <= 0


def test_features_equal_tokenizer_word_alignment(tokenizer):
    """Concatenating cached per-word ids gives what tokenising the sentence does."""
    from araft.corpus.segment import split_words

    text = SEED_TXT.read_text(encoding="utf-8")
    words = [w.text for w in split_words(text)][:400]
    pre = WordPreprocessor("arabertv02")
    enc = WordEncoder(tokenizer, pre)
    ids = enc.ids(words)
    ref = tokenizer([pre(w) for w in words], is_split_into_words=True, add_special_tokens=False)
    assert [i for word in ids for i in word] == ref["input_ids"]
    firsts = []
    seen = set()
    for pos, wid in enumerate(ref.word_ids()):
        if wid not in seen:
            seen.add(wid)
            firsts.append(pos)
    feats = encode_words(ids, list(range(len(words))), max_length=10_000, stride=0,
                         cls_id=tokenizer.cls_token_id, sep_id=tokenizer.sep_token_id,
                         label_all=True)
    assert len(feats) == 1
    labelled = [p - 1 for p, lab in enumerate(feats[0]["labels"]) if lab != IGNORE]
    assert labelled == firsts
    assert [lab for lab in feats[0]["labels"] if lab != IGNORE] == list(range(len(words)))


def test_long_sentence_windows_label_each_word_once_at_eval(tokenizer):
    words = ("كيريل دميترييف أعلن عن بدء محادثات بين روسيا والولايات المتحدة في ميامي " * 12).split()
    enc = WordEncoder(tokenizer, WordPreprocessor("arabertv02"))
    ids = enc.ids(words)
    total = sum(len(x) for x in ids)
    max_length = total // 3  # the sentence is more than 3x the limit
    feats = encode_words(ids, list(range(len(words))), max_length=max_length, stride=4,
                         cls_id=tokenizer.cls_token_id, sep_id=tokenizer.sep_token_id,
                         label_all=False)
    assert len(feats) >= 3
    assert all(len(f["input_ids"]) <= max_length for f in feats)
    labels = [lab for f in feats for lab in f["labels"] if lab != IGNORE]
    assert labels == list(range(len(words)))  # every word once, in order
    train = encode_words(ids, list(range(len(words))), max_length=max_length, stride=4,
                         cls_id=tokenizer.cls_token_id, sep_id=tokenizer.sep_token_id,
                         label_all=True)
    assert sum(1 for f in train for lab in f["labels"] if lab != IGNORE) > len(words)


def test_empty_preprocessed_word_still_gets_a_position(tokenizer):
    enc = WordEncoder(tokenizer, lambda w: "")
    assert enc.ids(["ـ"]) == [[tokenizer.unk_token_id]]


def test_collator_pads_dynamically():
    batch = PadCollator(0)([{"input_ids": [2, 5, 3], "labels": [IGNORE, 1, IGNORE]},
                            {"input_ids": [2, 3], "labels": [IGNORE, IGNORE]}])
    assert batch["input_ids"].tolist() == [[2, 5, 3], [2, 3, 0]]
    assert batch["attention_mask"].tolist() == [[1, 1, 1], [1, 1, 0]]
    assert batch["labels"].tolist() == [[IGNORE, 1, IGNORE], [IGNORE, IGNORE, IGNORE]]
