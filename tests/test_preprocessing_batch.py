"""Chunked preprocessing (``WordPreprocessor.many``) and batched tokenising (``WordEncoder.ids``)
give exactly what ArabertPreprocessor and the tokenizer give word by word."""
from __future__ import annotations

import logging

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from araft.corpus.formats import read_articles
from araft.encoding import WordEncoder
from araft.preprocessing import SEPARATOR, WordPreprocessor

from conftest import ROOT, SEED_JSONL, TINY_MODEL

CORPORA = [ROOT / "data" / "anercorp" / "train.conll", ROOT / "data" / "anercorp" / "dev.conll",
           ROOT / "data" / "claims_obstacles" / "train.jsonl", SEED_JSONL,
           *sorted((ROOT / "data" / "aqmar").glob("*.conll"))]
MODES = ["arabertv02", "araelectra", "arabertv02-twitter"]


@pytest.fixture(scope="module")
def corpus_words() -> list[str]:
    logging.disable(logging.WARNING)  # the readers' repair notes are not the subject here
    try:
        words = [w for path in CORPORA for a in read_articles(path) for w in a.text.split()]
    finally:
        logging.disable(logging.NOTSET)
    return list(dict.fromkeys(words))


@pytest.mark.parametrize("mode", MODES)
def test_chunks_equal_word_by_word_on_every_bundled_word(mode, corpus_words):
    assert len(corpus_words) > 40_000
    pre = WordPreprocessor(mode)
    got = pre.many(corpus_words)
    impl = pre._impl
    want = [impl.preprocess(w) for w in corpus_words]
    diff = [(w, g, x) for w, g, x in zip(corpus_words, got, want) if g != x]
    assert diff == []
    assert pre.cache_size == len(corpus_words)


# Characters that exercise every rule: Arabic letters, diacritics, tatweel, Hindi digits, Latin,
# URL/e-mail/mention pieces, HTML markup and entities, brackets, the separator, repeats.
ALPHABET = list("ابتثجحخدذرسشصضطظعغفقكلمنهويءآأإةى") + ["\u064e", "\u0651", "\u0640"] + \
    list("٠١٢٣0123abcXYZ.:/@#&;<>[]()«»،؟!-_=%~+") + [SEPARATOR, "\u200f", "\ufe0f", "😀"]
TOKENS = st.one_of(st.text(alphabet=ALPHABET, min_size=1, max_size=12),
                   st.sampled_from(["http://a.com/x", "www.example.org", "a@b.co", "@user",
                                    "&amp;", "&middot;", "<br", "/>", "<b>", "جداااا", "كتاب٣"]))


@settings(max_examples=150, deadline=None)
@given(words=st.lists(TOKENS, min_size=1, max_size=40))
def test_chunks_equal_word_by_word_on_generated_words(words):
    pre = WordPreprocessor("arabertv02")
    assert pre.many(words) == [pre._impl.preprocess(w) for w in words]


def test_farasa_free_modes_only_are_chunked():
    assert WordPreprocessor("arabertv02")._chunkable()
    assert not WordPreprocessor("none")._chunkable()


def test_batched_tokenising_equals_the_tokenizer_call(corpus_words):
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(TINY_MODEL)
    pre = WordPreprocessor("arabertv02")
    words = corpus_words[:20_000] + ["\u064e", "ـ"]  # the last two preprocess to nothing
    got = WordEncoder(tok, pre).ids(words)
    forms = pre.many(words)
    want = tok(forms, add_special_tokens=False)["input_ids"]
    want = [ids or [tok.unk_token_id] for ids in want]
    assert got == want
    assert got[-1] == got[-2] == [tok.unk_token_id]
