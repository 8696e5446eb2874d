"""Pretraining text for arabert-tiny: redistributable Arabic only, never test or dev text.

Sources (all under ``data_dir``, i.e. the shared data folder):
- ANERcorp train (CC BY-SA 4.0) minus its last 10% of sentences (the project's dev split);
- AQMAR train + dev (CC BY-SA 3.0), never test;
- NewsFANE Gold (CC BY-SA 3.0): ANERcorp text, clitic-segmented. Clitics are rejoined and sentences
  that overlap the ANERcorp dev region are dropped (character 12-gram match, see ``drop_overlapping``).
"""
from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

LRM = "\u200e"
ANERCORP_TRAIN = Path("anercorp_camellab_recon/train.conll")
AQMAR_FILES = (Path("aqmar/train.conll"), Path("aqmar/dev.conll"))
NEWSFANE = Path("newsfane_gold/NewsFANE_Gold_2014_170K.part_not_in_ANERcorp_test.txt")
DEV_FRACTION = 0.10  # the project's ANERcorp dev split: the last 10% of train sentences by order

# NewsFANE splits clitics off as their own tokens ("و اكد جلالة ه"); ANERcorp and the models never do.
PROCLITICS = {"و", "ف", "ب", "ل", "س", "ال", "لل", "وال", "بال"}
ENCLITICS = {"ه", "ها", "هم", "هما", "هن", "نا", "ني", "ي"}
_ARABIC = re.compile(r"[\u0621-\u064a]")


@dataclass
class Corpus:
    """Sentences (lists of words) per source, plus counts for the model card."""

    sentences: dict[str, list[list[str]]] = field(default_factory=dict)
    notes: dict[str, int] = field(default_factory=dict)

    def all(self) -> list[list[str]]:
        return [s for name in sorted(self.sentences) for s in self.sentences[name]]


def read_conll(path: Path) -> list[list[str]]:
    """Tokens (first column) per sentence; blank lines separate sentences."""
    sentences: list[list[str]] = []
    current: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        token = line.split("\t")[0].replace(LRM, "").strip()
        if not line.strip():
            if current:
                sentences.append(current)
            current = []
        elif token:
            current.append(token)
    if current:
        sentences.append(current)
    return sentences


def anercorp_dev_start(n_sentences: int) -> int:
    """Index of the first dev sentence; ceil so that we never keep a sentence the lead's split calls dev."""
    return n_sentences - math.ceil(n_sentences * DEV_FRACTION)


def _is_word(token: str) -> bool:
    return bool(_ARABIC.search(token))


def rejoin_clitics(tokens: list[str]) -> list[str]:
    """Glue NewsFANE's split clitics back onto their host words ("و اكد جلالة ه" -> "واكد جلالته").

    ``ك`` is ambiguous (proclitic "like" or enclitic "your"): before ``ما`` or after a non-word it is a
    proclitic, otherwise an enclitic. A clitic next to a number or punctuation stays as it is.
    """
    out: list[str] = []
    prefix = ""
    for i, tok in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        prev_is_host = bool(out) and _is_word(out[-1]) and not prefix
        if tok == "ك":
            is_pro = nxt == "ما" or not prev_is_host
            kind = "pro" if is_pro else "en"
        elif tok in ENCLITICS and prev_is_host:
            kind = "en"
        elif tok in PROCLITICS and _is_word(nxt) and len(nxt) > 1:  # "د ب ا" is an abbreviation
            kind = "pro"
        else:
            kind = "word"
        if kind == "pro" and _is_word(nxt):
            prefix += tok
        elif kind == "en" and prev_is_host:
            out[-1] = _host_form(out[-1]) + tok
        else:
            word = prefix + tok
            # Arabic spelling drops the alef of the article after the preposition lam: ل + ال -> لل
            out.append(re.sub(r"^(و|ف)?لال", r"\1لل", word) if prefix.endswith("ل") else word)
            prefix = ""
    if prefix:
        out.append(prefix)
    return out


def _host_form(word: str) -> str:
    """A word's spelling before a suffix pronoun: taa marbuta -> taa, alef maqsura -> yaa (جلالة + ه)."""
    if word.endswith("ة"):
        return word[:-1] + "ت"
    if word.endswith("ى"):
        return word[:-1] + "ي"
    return word


_DIACRITICS = re.compile(r"[\u064b-\u0652\u0640]")


def _norm(words: list[str]) -> str:
    """Spelling-insensitive, space-free form: NewsFANE is normalised and segmented, ANERcorp is not."""
    text = _DIACRITICS.sub("", "".join(words))
    return text.translate(str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه", "ئ": "ي", "ؤ": "و"}))


def _grams(text: str, n: int = 12) -> set[str]:
    return {text[i:i + n] for i in range(max(1, len(text) - n + 1))}


def drop_overlapping(sentences: list[list[str]], forbidden: list[list[str]],
                     threshold: float = 0.3) -> tuple[list[list[str]], int]:
    """Drop sentences sharing >= ``threshold`` of their character 12-grams with ``forbidden`` text."""
    bad: set[str] = set()
    for s in forbidden:
        bad |= _grams(_norm(s))
    kept = []
    for s in sentences:
        grams = _grams(_norm(s))
        if sum(g in bad for g in grams) / len(grams) < threshold:
            kept.append(s)
    return kept, len(sentences) - len(kept)


def load_corpus(data_dir: Path) -> Corpus:
    """All pretraining sentences, dev/test text excluded; raises FileNotFoundError if data is absent."""
    corpus = Corpus()
    aner = read_conll(data_dir / ANERCORP_TRAIN)
    cut = anercorp_dev_start(len(aner))
    corpus.sentences["anercorp_train"] = aner[:cut]
    corpus.notes["anercorp_dev_excluded"] = len(aner) - cut
    corpus.sentences["aqmar_train_dev"] = [s for p in AQMAR_FILES for s in read_conll(data_dir / p)]
    fane = [rejoin_clitics(s) for s in read_conll(data_dir / NEWSFANE)]
    fane = [s for s in fane if s]
    kept, dropped = drop_overlapping(fane, aner[cut:])
    corpus.sentences["newsfane"] = kept
    corpus.notes["newsfane_dropped_as_dev"] = dropped
    return corpus


def split_heldout(sentences: list[list[str]], fraction: float = 0.03,
                  seed: int = 13) -> tuple[list[list[str]], list[list[str]]]:
    """(train, held-out) with a fixed seed: the held-out part is the MLM validation set."""
    order = list(range(len(sentences)))
    random.Random(seed).shuffle(order)
    n_held = max(1, round(len(sentences) * fraction))
    held = set(order[:n_held])
    train = [s for i, s in enumerate(sentences) if i not in held]
    return train, [sentences[i] for i in sorted(held)]


def preprocess_sentences(sentences: list[list[str]], mode: str = "arabertv02") -> list[list[str]]:
    """AraBERT-preprocess each word (cached); words that preprocess to nothing are dropped."""
    from araft.preprocessing import WordPreprocessor

    pre = WordPreprocessor(mode)
    out = []
    for s in sentences:
        words = [w for w in (pre(t).strip() for t in s) if w]
        if words:
            out.append(words)
    return out


def pretraining_text(data_dir: Path, seed: int,
                     mode: str = "arabertv02") -> tuple[list[list[str]], list[list[str]], dict]:
    """(train, held-out) preprocessed sentences and their counts: exactly what the build uses."""
    corpus = load_corpus(data_dir)
    train_raw, held_raw = split_heldout(corpus.all(), seed=seed)
    train, held = preprocess_sentences(train_raw, mode), preprocess_sentences(held_raw, mode)
    stats = {"sources": {k: {"sentences": len(v), "words": sum(map(len, v))}
                         for k, v in corpus.sentences.items()},
             "excluded": corpus.notes, "train_sentences": len(train), "heldout_sentences": len(held),
             "train_words": sum(map(len, train)), "heldout_words": sum(map(len, held))}
    return train, held, stats
