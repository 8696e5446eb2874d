"""Sentence and word segmentation with exact character offsets into the original text.

The list of words with offsets is the spine of the data flow (see DESIGN.md): predictions on
subwords find their way back to character spans through it, so offsets must never drift.

Words: whitespace separates words; every punctuation or symbol character is a word of its own,
except inside numbers (3.5, 1,000, ٣٫٥), dotted abbreviations (U.S., e.g., أ.د., Dr., د.) and an
apostrophe between Latin letters (don't). "Marks" (combining marks such as Arabic diacritics, and
format characters: zero-width and bidi controls) belong to the word they touch and never split it;
a run of marks touching no word is whitespace-like and skipped.

Sentences are built on the same word tokens, so a sentence boundary never falls inside a word:
a sentence ends at a line break, or after a run of terminators (. ! ? ؟ …) plus the closing quotes
and brackets glued to it, when whitespace or the line end follows. Abbreviations and decimals are
whole tokens, so their periods never end a sentence.
"""
from __future__ import annotations

import re
from typing import Any, NamedTuple

import regex

__all__ = [
    "Word", "split_sentences", "split_words", "whitespace_words", "article_sentences", "article_words",
]


class Word(NamedTuple):  # a tuple: a corpus makes hundreds of thousands of them
    start: int  # absolute offset into the text
    end: int
    text: str  # == text[start:end]


# Whitespace exactly as str.isspace() sees it (Unicode White_Space plus the ASCII separators
# \x1c-\x1f), so "never contains whitespace" means the same thing here as in str.split().
_WS = r"\s\x1c-\x1f"
# Marks: combining marks (Arabic diacritics U+064B-U+0652, U+0670, ...) and format characters
# (ZWSP/ZWNJ/ZWJ, BOM, LRM/RLM, embeddings and isolates, ALM). Never a boundary, never dropped.
_M = r"\p{Mn}\p{Me}\p{Cf}"
# Characters split off as words of their own: all punctuation and symbols.
_P = r"\p{P}\p{S}"
_MARK = f"[{_M}]"
_WORDCH = f"[^{_WS}{_P}{_M}]"  # letters, digits, tatweel (Lm), and anything else not listed
_WORDCH_OR_MARK = f"[^{_WS}{_P}]"
_LATIN = r"(?:(?=\p{L})\p{Latin})"  # letters only: digits and marks are not Latin/Arabic letters
_ARABIC = r"(?:(?=\p{L})\p{Arabic})"

# Abbreviations kept whole; their period is not a sentence end. Case-sensitive on purpose.
_ABBREV_WORDS = (
    "Mr Mrs Ms Dr Prof Sr Jr St Mt vs etc Inc Ltd Co Corp Gen Col Lt Sgt Capt Gov Sen Rep Rev "
    "Hon Vol Fig approx Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Dept Univ cf al"
).split()
_ABBREV = (
    # Cheap guard first (a short run then a period), so ordinary words skip the alternatives;
    # and no word character right before (marks in between do not count).
    f"(?={_WORDCH_OR_MARK}{{1,9}}\\.)(?<!{_WORDCH}{_MARK}*){_MARK}*(?:"
    # single letters joined by dots: U.S., U.S.A, e.g., i.e., a.m.; أ.د., ق.م, ص.ب.
    + f"(?:{_LATIN}(?:\\.{_LATIN})+\\.?|{_ARABIC}(?:\\.{_ARABIC})+\\.?"
    # a single Latin capital initial (J. K. Rowling); not "I", which is mostly the pronoun
    + r"|[A-HJ-Z]\.)"
    + f"(?!{_MARK}*[\\p{{L}}\\p{{N}}])"
    # common abbreviations, the Arabic د. (doctor), "No. 5"
    + r"|(?:" + "|".join(_ABBREV_WORDS) + r"|د)\."
    + r"|Nos?\.(?=[ \t]*\d)"
    + f"){_MARK}*"
)
# A word: marks, then a word character, then word characters and marks, with number separators
# between digits (3.5 1,000 ٣٫٥ ١٬٠٠٠) and an apostrophe between Latin letters kept inside.
# Written as an unrolled loop: the joiners are only tried where a plain run stops.
# A run of leading marks is only tried from its first mark, so a long run of stray marks costs
# linear time, not quadratic.
_WORD = (
    f"(?:(?<!{_MARK}){_MARK}+)?{_WORDCH}{_WORDCH_OR_MARK}*"
    f"(?:(?:(?<=\\d)[.,\u066b\u066c](?=\\d)|(?<={_LATIN})['\u2019](?={_LATIN})){_WORDCH_OR_MARK}+)*"
)
_PUNCT = f"[{_P}]{_MARK}*"  # trailing marks (an RLM after "؟") stay with the punctuation
_TOKEN = regex.compile(f"(?P<w>{_ABBREV}|{_WORD})|(?P<p>{_PUNCT})")
# the stdlib engine: its \s is str.isspace(), and it is several times faster on this pattern
_WS_TOKEN = re.compile(f"[^{_WS}]+")

# --- sentences ---
# Line breaks exactly as str.splitlines() sees them.
_LB = r"\n\r\v\f\x1c-\x1e\x85\u2028\u2029"
_LINE = regex.compile(f"[^{_LB}]+")
_TERM = ".!?\u061f\u2026"  # . ! ? ؟ …
# Quotes of either direction and closing brackets glued to a terminator close the sentence.
_CLOSE = "\"'\u201c\u201d\u201e\u201f\u2018\u2019\u201a\u201b\u00ab\u00bb\u2039\u203a)\\]}"
# A candidate end: a maximal run of terminators, closers and marks up to whitespace or the line
# end; the sentence-ending run starts at its first terminator. (Maximal, so each is scanned once.)
_RUN = f"[{_TERM}{_CLOSE}{_M}]"
_CANDIDATE = regex.compile(f"(?<!{_RUN}){_RUN}+(?=[{_WS}]|\\Z)")
_TERM_CHAR = regex.compile(f"[{_TERM}]")
_LAST_WS = regex.compile(f"[{_WS}]", regex.REVERSE)
_LAST_SOLID = regex.compile(f"[^{_WS}{_M}]", regex.REVERSE)  # last non-space, non-mark char
_MARKS = regex.compile(f"{_MARK}*")
_WORDCH_RE = regex.compile(_WORDCH)


def _range(text: str, start: int, end: int | None) -> tuple[int, int]:
    """Normalise start/end the way slicing does (negative values, out of range, None)."""
    start, end, _ = slice(start, end).indices(len(text))
    return start, max(start, end)


def split_words(text: str, start: int = 0, end: int | None = None) -> list[Word]:
    """Words of ``text[start:end]``, offsets absolute into ``text``.

    The range is segmented as if it were the whole text (nothing outside it is looked at)."""
    start, end = _range(text, start, end)
    if start == 0 and end == len(text):
        return [Word(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
    return [Word(m.start() + start, m.end() + start, m.group())
            for m in _TOKEN.finditer(text[start:end])]


def whitespace_words(text: str, start: int = 0, end: int | None = None) -> list[Word]:
    """Plain whitespace tokens of ``text[start:end]`` (same tokens as ``str.split()``)."""
    start, end = _range(text, start, end)
    return [Word(m.start(), m.end(), m.group()) for m in _WS_TOKEN.finditer(text, start, end)]


def _run_start(text: str, cand_start: int, cand_end: int, line_start: int, line_end: int) -> int:
    """Where the terminator run of a candidate really starts, or -1 when it ends no sentence.

    The run starts at the candidate's first terminator, unless that sits inside a word token
    (the final period of "U.S."): then at the next terminator after that token, if any. Tokens
    never cross whitespace, so segmenting from the start of the candidate's chunk finds the same
    tokens as segmenting the whole line (the line end stays visible to lookaheads: "No. 5")."""
    term = _TERM_CHAR.search(text, cand_start, cand_end)
    if term is None:
        return -1
    run = term.start()
    space = _LAST_WS.search(text, line_start, run)
    for m in _TOKEN.finditer(text, space.end() if space else line_start, line_end):
        if m.end() <= run:
            continue
        if m.start() == run:
            return run
        nxt = _TERM_CHAR.search(text, m.end(), cand_end)  # the token straddles the terminator
        return nxt.start() if nxt else -1
    return -1


def _line_sentences(text: str, line_start: int, line_end: int, out: list[tuple[int, int]]) -> None:
    sent_start = line_start
    word = _WORDCH_RE.search(text, sent_start, line_end)  # first word character of the sentence
    for cand in _CANDIDATE.finditer(text, line_start, line_end):
        if word is None:  # no word left on the line: nothing more can end a sentence
            break
        run = _run_start(text, cand.start(), cand.end(), line_start, line_end)
        # A run of terminators ends a sentence only if some word precedes it ("... text" goes on).
        if run < 0 or word.start() > run:
            continue
        first = _TOKEN.search(text, sent_start, line_end)
        assert first is not None  # a word character precedes the run
        out.append((first.start(), cand.end()))
        sent_start = cand.end()
        word = _WORDCH_RE.search(text, sent_start, line_end)
    first = _TOKEN.search(text, sent_start, line_end)
    if first is None:  # only whitespace and stray marks left
        return
    last = _LAST_SOLID.search(text, first.start(), line_end)
    assert last is not None  # the first token holds a non-mark character
    out.append((first.start(), _MARKS.match(text, last.end(), line_end).end()))


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)``, leading/trailing whitespace (and stray marks) excluded."""
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        _line_sentences(text, line.start(), line.end(), spans)
    return spans


def article_sentences(article: Any) -> list[tuple[int, int]]:
    """The article's own sentence spans if it has them, else the segmenter's."""
    if article.sentences is not None:
        return [(s.start, s.end) for s in article.sentences]
    return split_sentences(article.text)


def article_words(article: Any, start: int = 0, end: int | None = None) -> list[Word]:
    """Words of ``article.text[start:end]``; whitespace tokens for CoNLL-derived articles, whose
    gold tokens must be kept exactly (meta ``tokenization == "whitespace"``)."""
    meta = article.meta or {}
    if meta.get("tokenization") == "whitespace":
        return whitespace_words(article.text, start, end)
    return split_words(article.text, start, end)
