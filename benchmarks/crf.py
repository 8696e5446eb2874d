"""The CRF baseline of benchmarks/quality.py: word, affix and shape features of a word and its +-2
neighbours, sklearn-crfsuite L-BFGS. It is also the teacher that labels news for the silver stage of the
embedded model's build (scripts/tiny_model/silver.py), so both use this one definition.
"""
from __future__ import annotations

import unicodedata
from pathlib import Path


def word_shape(w: str) -> str:
    """Letters -> a (Arabic) / A / x (Latin case), digits -> d, else the character; runs
    collapsed (فرانكفورت -> a, U.S. -> A.A., 1986 -> d)."""
    out = []
    for ch in w:
        cat = unicodedata.category(ch)
        if cat.startswith("L"):
            s = ("A" if ch.isupper() else "x") if ch.isascii() else "a"
        elif cat == "Nd":
            s = "d"
        else:
            s = ch
        if not out or out[-1] != s:
            out.append(s)
    return "".join(out)


def token_features(w: str, prefix: str) -> dict:
    return {f"{prefix}w": w, f"{prefix}shape": word_shape(w), f"{prefix}p1": w[:1],
            f"{prefix}p2": w[:2], f"{prefix}p3": w[:3], f"{prefix}s1": w[-1:],
            f"{prefix}s2": w[-2:], f"{prefix}s3": w[-3:]}


def sentence_features(words: list[str]) -> list[dict]:
    feats = []
    for i, w in enumerate(words):
        f: dict = {"bias": 1.0, "len": min(len(w), 10), "digit": any(c.isdigit() for c in w),
                   "latin": any(c.isascii() and c.isalpha() for c in w), **token_features(w, "")}
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < len(words):
                f.update(token_features(words[j], f"{d}:"))
            else:
                f[f"{d}:edge"] = True
        feats.append(f)
    return feats


def gold(path: Path) -> tuple[list[list[str]], list[list[str]]]:
    """Words and IOB2 tags per sentence, as araft reads them (I- starts repaired)."""
    from araft.corpus.formats import read_articles
    from araft.tasks.ner import sentence_words

    sents = sentence_words(read_articles(path), with_gold=True)
    return [[w.text for w in s.words] for s in sents], [list(s.gold) for s in sents]


def strict_f1(ref: list[list[str]], pred: list[list[str]]) -> dict:
    from seqeval.metrics import f1_score
    from seqeval.scheme import IOB2

    from araft.corpus.tags import repair_iob2

    pred = [repair_iob2(p) for p in pred]
    kw = {"mode": "strict", "scheme": IOB2, "zero_division": 0}
    return {"micro_f1": f1_score(ref, pred, **kw), "macro_f1": f1_score(ref, pred, average="macro", **kw)}


def train_crf(words: list[list[str]], tags: list[list[str]], iterations: int = 100):
    """A CRF (L-BFGS, c1 = c2 = 0.1, every transition allowed) fitted on word lists and their IOB2 tags."""
    import sklearn_crfsuite

    crf = sklearn_crfsuite.CRF(algorithm="lbfgs", c1=0.1, c2=0.1, max_iterations=iterations,
                               all_possible_transitions=True)
    crf.fit([sentence_features(ws) for ws in words], tags)
    return crf
