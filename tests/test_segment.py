"""Sentence and word segmentation: the seed article, the hard cases, and invariants on random text."""
from __future__ import annotations

import re
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from araft.corpus.article import Article, Sentence
from araft.corpus.segment import (
    Word,
    article_sentences,
    article_words,
    split_sentences,
    split_words,
    whitespace_words,
)

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_2a0c97e50c8b63d1.txt"
MARK_CATEGORIES = {"Mn", "Me", "Cf"}  # diacritics, zero-width and bidi controls
TERMINATORS = set(".!?\u061f\u2026")
CLOSERS = set("\"'\u201c\u201d\u201e\u201f\u2018\u2019\u201a\u201b\u00ab\u00bb\u2039\u203a)]}")


@pytest.fixture(scope="module")
def seed() -> str:
    return SEED.read_text(encoding="utf-8")


def texts(text: str, spans) -> list[str]:
    return [text[s:e] for s, e in spans]


def word_texts(text: str, start: int = 0, end: int | None = None) -> list[str]:
    return [w.text for w in split_words(text, start, end)]


# --- the seed article --------------------------------------------------------------------------

# Counted by hand against ANNOTATION.md: 31 periods end 31 sentences (no decimals or abbreviations
# in the text), plus 3 heading lines without a period; the 7 trailing empty lines give nothing.
SEED_SENTENCES = 34
HEADINGS = [
    "أهمية المفاوضات الروسية الأمريكية في ظل الأزمة الأوكرانية",
    "ردود الفعل الدولية والمحلية",
    "أهداف محددة وتحديات قائمة",
]


def test_seed_sentence_count_and_boundaries(seed):
    spans = split_sentences(seed)
    sents = texts(seed, spans)
    assert len(spans) == SEED_SENTENCES
    for h in HEADINGS:
        assert h in sents  # a heading line is a sentence of its own
    assert sum(s.endswith(".") for s in sents) == SEED_SENTENCES - len(HEADINGS)
    assert sents[0].startswith("أعلن المبعوث الخاص") and sents[0].endswith("القضايا المعلقة.")
    # closing quote and period stay inside; the quote opening a sentence (written ”) too
    assert sents[2] == "ووفقًا لدميترييف، فإن المناقشات حتى الآن تسير بشكل “بناء”."
    assert "”نحن ملتزمون بدعم أوكرانيا في الدفاع عن سيادتها ووحدة أراضيها” صرح بذلك المتحدث باسم الوزارة." in sents
    assert sents[-1].endswith("طاولة المفاوضات بشكل جدي.")
    assert sents[5] == HEADINGS[0] and sents[10] == HEADINGS[1] and sents[15] == HEADINGS[2]
    for s, e in spans:
        assert not seed[s].isspace() and not seed[e - 1].isspace() and "\n" not in seed[s:e]


def test_seed_words(seed):
    words = split_words(seed)
    check_words(seed, words)
    # the seed holds only letters, digits, diacritics, spaces and . ، “ ”
    expected = re.findall(r"[^\s.،“”]+|[.،“”]", seed)
    assert [w.text for w in words] == expected
    i = seed.index("لدميترييف،")
    assert word_texts(seed, i, i + len("لدميترييف،")) == ["لدميترييف", "،"]
    w = next(w for w in words if w.text == "لدميترييف")
    assert (w.start, w.end) == (i, i + 9)
    # words of each sentence are exactly the text's words in that span, and cover them all
    per_sentence = [w for s, e in split_sentences(seed) for w in split_words(seed, s, e)]
    assert per_sentence == words


# --- hard cases -----------------------------------------------------------------------------

@pytest.mark.parametrize("text, words", [
    ("بلغت 2.5 مليار و٣٫٥ بالمئة من 1,000 و١٬٠٠٠ عام ٢٠٢٢.",
     ["بلغت", "2.5", "مليار", "و٣٫٥", "بالمئة", "من", "1,000", "و١٬٠٠٠", "عام", "٢٠٢٢", "."]),
    ("The U.S. and U.K., e.g. Dr. Smith (i.e. J. K. Rowling) etc.",
     ["The", "U.S.", "and", "U.K.", ",", "e.g.", "Dr.", "Smith", "(", "i.e.", "J.", "K.", "Rowling", ")", "etc."]),
    ("قال د. محمد وأ.د. علي", ["قال", "د.", "محمد", "وأ", ".", "د.", "علي"]),
    ("don't O’Brien 'quoted'", ["don't", "O’Brien", "'", "quoted", "'"]),
    ("«نعم»؛ (لا) [ربما] {قد} - – — … / : ; ! ? ؟ „x\"",
     ["«", "نعم", "»", "؛", "(", "لا", ")", "[", "ربما", "]", "{", "قد", "}", "-", "–", "—", "…", "/",
      ":", ";", "!", "?", "؟", "„", "x", '"']),
    ("end. 3. 2,", ["end", ".", "3", ".", "2", ","]),
    ("No. 5 and No. more", ["No.", "5", "and", "No", ".", "more"]),
])
def test_words_hard_cases(text, words):
    assert word_texts(text) == words
    check_words(text, split_words(text))


@pytest.mark.parametrize("text, sentences", [
    ("In the U.S. Dr. Smith met J. K. Rowling. She said no.",
     ["In the U.S. Dr. Smith met J. K. Rowling.", "She said no."]),
    ("Prices rose 2.5 percent, i.e. a lot, etc. and fell! Why?! Because... ok",
     ["Prices rose 2.5 percent, i.e. a lot, etc. and fell!", "Why?!", "Because...", "ok"]),
    ("هل انتهى؟! نعم... انتهى. قال: «هذا “بناء”.» ثم غادر",
     ["هل انتهى؟!", "نعم...", "انتهى.", "قال: «هذا “بناء”.»", "ثم غادر"]),
    ("He said \"go.\" Then (he left.) And 'so.' done", ["He said \"go.\"", "Then (he left.)", "And 'so.'", "done"]),
    ("  عنوان  \n\n\r\n  نص أول.  نص ثان  \n", ["عنوان", "نص أول.", "نص ثان"]),
    ("... بداية. example.com works", ["... بداية.", "example.com works"]),
    ("etc.. next", ["etc..", "next"]),
    ("", []),
    (" \n\t\u200f \n", []),
])
def test_sentences_hard_cases(text, sentences):
    assert texts(text, split_sentences(text)) == sentences


def test_marks_keep_offsets_and_never_split():
    # tatweel, shadda/fatha, superscript alef, ZWJ, bidi marks inside and around words
    text = "\u200fالـمـديـنـةُ الكبرىٰ\u200d «\u200eU.S.\u200e» ؟\u200f \u200f كتب\u064bوا."
    words = split_words(text)
    check_words(text, words)
    assert [w.text for w in words] == [
        "\u200fالـمـديـنـةُ", "الكبرىٰ\u200d", "«\u200e", "U.S.\u200e", "»", "؟\u200f", "كتب\u064bوا", ".",
    ]
    assert words[-1].start == len(text) - 1  # the standalone RLM between spaces shifted nothing
    assert texts(text, split_sentences(text)) == [text[:text.index("؟") + 2], "كتب\u064bوا."]


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_marks_inserted_into_seed_change_nothing(seed, data):
    """Marks glued to any non-space character keep the same words (up to the marks) and sentences."""
    marks = "\u064b\u0650\u0651\u0670\u200b\u200d\u200e\u200f\u2066\ufeff"
    solid = [i for i, ch in enumerate(seed) if not ch.isspace()]
    where = set(data.draw(st.lists(st.sampled_from(solid), max_size=40)))

    def glue(ch: str) -> str:  # tatweel is a letter-like stretch: only after a letter
        return data.draw(st.sampled_from(marks + ("\u0640" if ch.isalpha() else "")))

    marked, inserted = "", set()
    for i, ch in enumerate(seed):
        marked += ch
        if i in where:
            inserted.add(len(marked))
            marked += glue(ch)
    words = split_words(marked)
    check_words(marked, words)
    unmarked = ["".join(marked[j] for j in range(w.start, w.end) if j not in inserted) for w in words]
    assert unmarked == [w.text for w in split_words(seed)]
    assert len(split_sentences(marked)) == SEED_SENTENCES


# --- ranges, whitespace tokens, articles ---------------------------------------------------

def test_ranges_are_absolute_and_slice_like():
    text = "قبل. كلمة، أخرى بعد"
    s = text.index("كلمة")
    words = split_words(text, s, s + len("كلمة، أخرى"))
    assert [(w.text, w.start) for w in words] == [("كلمة", s), ("،", s + 4), ("أخرى", s + 6)]
    assert split_words(text, -3) == [Word(len(text) - 3, len(text), "بعد")]
    assert split_words(text, 5, 2) == [] and split_words(text, 100) == []


def test_whitespace_tokens_and_articles():
    text = "EU-backed  «talks»\u200f , 2.5.\nنعم"
    assert [w.text for w in whitespace_words(text)] == text.split()
    conll = Article(id="c", text=text, meta={"tokenization": "whitespace"})
    assert article_words(conll) == whitespace_words(text)
    assert [w.text for w in article_words(conll, 11)] == text[11:].split()
    assert all(text[w.start:w.end] == w.text for w in article_words(conll, 11))
    plain = Article(id="p", text=text)
    assert article_words(plain) == split_words(text)
    assert article_sentences(plain) == split_sentences(text)
    gold = Article(id="g", text=text, sentences=[Sentence(0, 18, ("claim",)), Sentence(19, len(text))])
    assert article_sentences(gold) == [(0, 18), (19, len(text))]


def test_whitespace_is_str_isspace():
    """'Never contains whitespace' means str.isspace() everywhere, as str.split() does."""
    chars = "".join(chr(c) for c in range(0x3100) if not 0xD800 <= c <= 0xDFFF)
    assert "".join(w.text for w in whitespace_words(chars)) == "".join(c for c in chars if not c.isspace())


def test_speed_on_125k_words(seed):
    big = seed * (125_000 // len(seed.split()) + 1)
    t0 = time.process_time()
    spans = split_sentences(big)
    n = sum(len(split_words(big, s, e)) for s, e in spans)
    elapsed = time.process_time() - t0
    assert n > 140_000 and len(spans) == SEED_SENTENCES * (125_000 // len(seed.split()) + 1)
    assert elapsed < 2.0, f"segmenting 125k words took {elapsed:.2f}s of CPU"


@pytest.mark.parametrize("text", [
    "\u200b" * 20_000 + " x", "! " * 20_000 + "x", "?" * 40_000 + "x", ".”" * 20_000 + "x",
    "U." * 20_000, "كلمة،" * 20_000 + ". x", "a" + "\u200f " * 20_000 + ".",
])
def test_pathological_input_is_linear(text):
    t0 = time.process_time()
    check_words(text, split_words(text))
    split_sentences(text)
    assert time.process_time() - t0 < 1.5


# --- invariants on random text -------------------------------------------------------------

ALPHABET = (
    list("ابتثجحدذرسشصعغفقكلمنهويءأإآىةد")
    + list("abcdeisxyzAIJKSUDN")
    + list("0123٣٥٫٬")
    + ["\u064b", "\u064e", "\u0650", "\u0651", "\u0652", "\u0670", "\u0640"]
    + ["\u200e", "\u200f", "\u200d", "\u200b", "\ufeff", "\u2067", "\u202b"]
    + [" ", " ", " ", "\t", "\u00a0", "\n", "\r", "\u2029"]
    + list("،؛؟«»“”„\"'’()[]{}.,:;!?-–—…/%")
)
FRAGMENTS = ["U.S.", "Dr.", "No.", "No. 5", "د.", "أ.د.", "J. K.", "etc.", "i.e.", "3.5", "1,000",
             "٣٫٥", "don't", ". ", "؟! ", "...", ".”", "”.» ", " “", "\n", "\u200f ", "كلمة", "word"]
random_text = st.one_of(
    st.text(alphabet=ALPHABET, max_size=80),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(alphabet=ALPHABET, max_size=3)),
             max_size=25).map("".join),
)


def is_mark(ch: str) -> bool:
    return unicodedata.category(ch) in MARK_CATEGORIES


def is_word_token(w: Word) -> bool:
    return any(unicodedata.category(ch)[0] not in "PSZ" and not is_mark(ch) for ch in w.text)


def check_words(text: str, words: list[Word], start: int = 0, end: int | None = None) -> None:
    end = len(text) if end is None else end
    covered = [False] * len(text)
    prev = start
    for w in words:
        assert text[w.start:w.end] == w.text and w.text
        assert prev <= w.start < w.end <= end
        assert not any(ch.isspace() for ch in w.text)
        covered[w.start:w.end] = [True] * (w.end - w.start)
        prev = w.end
    for i in range(start, end):
        assert covered[i] or text[i].isspace() or is_mark(text[i]), (i, text[i])


def reference_sentences(text: str) -> list[tuple[int, int]]:
    """The rule stated on words, one token at a time: slow but obviously right."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        start, has_word, closing, prev = None, False, False, 0
        for w in split_words(text, offset, offset + len(line)):
            if start is not None and closing and w.start > prev:
                spans.append((start, prev))
                start, has_word = None, False
            closing = closing and w.start == prev
            start = w.start if start is None else start
            if is_word_token(w):
                has_word, closing = True, False
            else:
                closing = has_word and w.text[0] in (TERMINATORS | CLOSERS if closing else TERMINATORS)
            prev = w.end
        if start is not None:
            spans.append((start, prev))
        offset += len(line)
    return spans


@settings(max_examples=400, deadline=None)
@given(random_text)
def test_invariants_on_random_text(text):
    words = split_words(text)
    check_words(text, words)
    spans = split_sentences(text)
    assert spans == reference_sentences(text)
    prev = 0
    for s, e in spans:
        assert prev <= s < e <= len(text)
        assert not text[s].isspace() and not text[e - 1].isspace()
        assert not any(ch in text[s:e] for ch in "\n\r\u2029")
        prev = e
    # sentences partition the words, and a sentence segments exactly like the whole text there
    assert [w for s, e in spans for w in split_words(text, s, e)] == words
    # a range is segmented like the same text on its own
    assert [(w.start - 3, w.text) for w in split_words("ab " + text, 3)] == [(w.start, w.text) for w in words]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60), st.integers(-70, 70), st.one_of(st.none(), st.integers(-70, 70)))
def test_any_unicode_never_raises(text, start, end):
    words = split_words(text, start, end)
    s, e, _ = slice(start, end).indices(len(text))
    check_words(text, words, s, max(s, e))
    for a, b in split_sentences(text):
        assert 0 <= a < b <= len(text)
    assert [w.text for w in whitespace_words(text, start, end)] == text[s:max(s, e)].split()
