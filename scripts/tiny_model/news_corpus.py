"""SaudiNewsNet 2015 as pretraining text, with what the claims corpus needs held back.

Held back (never pretrained on, so the claims corpus can draw unseen articles from them):
- every article dated 2015-07-23, 2015-07-24 or 2015-08-03 (the claims corpus's pool of new articles);
- every article of ``data/claims_obstacles`` and its wire copies: the same title, or 3% or more of its
  word 8-grams shared with a claims article (the rule SaudiNewsNet's PROVENANCE.md uses for its own
  evaluation set).
Wire copies and repeated boilerplate are de-duplicated at the sentence level (exact match after
whitespace normalisation), so no sentence is seen twice per epoch.
"""
from __future__ import annotations

import json
import random
from pathlib import Path

SNN_JSONL = Path("saudinewsnet/saudinewsnet_2015.jsonl")
HELD_DAYS = frozenset({"2015-07-23", "2015-07-24", "2015-08-03"})
COPY_SHARE = 0.03  # share of an article's word 8-grams that makes it a copy of a claims article
GRAM = 8


def read_articles(path: Path) -> list[dict]:
    """The JSONL articles; a line that is not an article is an error naming the line."""
    out = []
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                art = json.loads(line)
                art["id"], art["date"]  # noqa: B018 - both must be there
            except (json.JSONDecodeError, KeyError, TypeError) as e:
                raise ValueError(f"{path}:{n}: not a SaudiNewsNet article ({e})") from None
            out.append(art)
    return out


def _grams(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i:i + GRAM]) for i in range(len(words) - GRAM + 1)}


def article_text(art: dict) -> str:
    return "\n".join(p for p in (art.get("title") or "", art.get("content") or "") if p)


def claims_fingerprint(claims_dir: Path) -> tuple[set[str], set[tuple[str, ...]], int]:
    """(first lines, word 8-grams, article count) of every article in the claims corpus's splits."""
    titles: set[str] = set()
    grams: set[tuple[str, ...]] = set()
    n = 0
    for path in sorted(claims_dir.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                text = json.loads(line)["text"]
                titles.add(text.split("\n", 1)[0].strip())
                grams |= _grams(text.split())
                n += 1
    return titles, grams, n


def select_articles(articles: list[dict], claims_dir: Path) -> tuple[list[dict], dict]:
    """Articles usable for pretraining, and how many were held back for which reason."""
    titles, grams, n_claims = claims_fingerprint(claims_dir)
    if not n_claims:
        raise FileNotFoundError(f"no claims articles under {claims_dir}: cannot hold them back")
    kept, held_day, held_claims = [], 0, 0
    for art in articles:
        if art["date"] in HELD_DAYS:
            held_day += 1
            continue
        own = _grams(article_text(art).split())
        shared = sum(g in grams for g in own) / len(own) if own else 0.0
        if (art.get("title") or "").strip() in titles or shared >= COPY_SHARE:
            held_claims += 1
            continue
        kept.append(art)
    return kept, {"saudinewsnet_articles": len(articles), "held_back_days": held_day,
                  "held_back_claims_and_copies": held_claims, "claims_articles": n_claims}


def sentence_records(articles: list[dict]) -> list[tuple[str, list[str]]]:
    """(text as written, words) of every sentence, segmented by araft's own segmenter (as fine-tuning
    will see them); sentences without a word left out."""
    from araft.corpus.segment import split_sentences, split_words

    out = []
    for art in articles:
        text = article_text(art)
        for start, end in split_sentences(text):
            words = [w.text for w in split_words(text, start, end)]
            if words:
                out.append((text[start:end], words))
    return out


def article_sentences(articles: list[dict]) -> list[list[str]]:
    """Sentences as word lists (``sentence_records`` without the text)."""
    return [words for _, words in sentence_records(articles)]


def dedupe(sentences: list, key=" ".join) -> tuple[list, int]:
    """First occurrence of each sentence (wire copies repeat whole paragraphs; ``key`` gives a
    sentence's identity, by default its words joined); and how many dropped."""
    seen: set[str] = set()
    kept = []
    for s in sentences:
        k = key(s)
        if k not in seen:
            seen.add(k)
            kept.append(s)
    return kept, len(sentences) - len(kept)


def split_articles(articles: list[dict], held_fraction: float, seed: int) -> tuple[list[dict], list[dict]]:
    """(train, held-out) by article, so held-out sentences never have a neighbour in training."""
    order = sorted(range(len(articles)), key=lambda i: articles[i]["id"])
    random.Random(seed).shuffle(order)
    n_held = max(1, round(len(order) * held_fraction))
    held = set(order[:n_held])
    return ([a for i, a in enumerate(articles) if i not in held],
            [articles[i] for i in sorted(held)])
