"""Assemble the released claims/obstacles corpus from the adjudicated annotations.

Reads data/claims_obstacles/annotations/final/NNN.yaml (all 40 articles), compiles them with
annotate.py, validates every article (araft.corpus.article.validate_article), splits by article
(28 train / 6 dev / 6 test, ordered by the SHA-1 of the article id, so the split never depends on
file order), writes {train,dev,test}.jsonl and prints the counts per split for the README.
Usage: .venv/bin/python scripts/claims_corpus/assemble.py
"""
from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from annotate import ENTITY_TYPES, SENTENCE_LABELS, build_pass  # noqa: E402
from common import DATA  # noqa: E402

from araft.corpus.article import Article, validate_article  # noqa: E402

SIZES = {"train": 28, "dev": 6, "test": 6}
DOUBLE = {f"{i:03d}" for i in (1, 2, 3, 4, 5, 21, 22, 23, 24, 25)}


def annotator_of(idx: str) -> str:
    if idx in DOUBLE:
        return "A+B, adjudicated"
    return "A" if int(idx) <= 20 else "B"


def split(articles: list[Article]) -> dict[str, list[Article]]:
    order = sorted(articles, key=lambda a: hashlib.sha1(a.id.encode()).hexdigest())
    out, start = {}, 0
    for name, size in SIZES.items():
        out[name] = sorted(order[start:start + size], key=lambda a: a.id)
        start += size
    return out


def stats(arts: list[Article]) -> dict:
    ents = Counter(e.label for a in arts for e in a.entities)
    sents = [s for a in arts for s in a.sentences or []]
    labs = Counter(l for s in sents for l in s.labels)
    both = sum(1 for s in sents if len(s.labels) == 2)
    return {"articles": len(arts), "sentences": len(sents), **{t: ents[t] for t in ENTITY_TYPES},
            **{l: labs[l] for l in SENTENCE_LABELS}, "both": both,
            "none": sum(1 for s in sents if not s.labels)}


def main() -> int:
    articles = build_pass("final")
    if len(articles) != sum(SIZES.values()):
        raise SystemExit(f"expected {sum(SIZES.values())} final articles, found {len(articles)}")
    for art in articles:
        idx = art.id.removeprefix("co_")
        art.meta.pop("annotation_pass", None)
        art.meta["annotators"] = annotator_of(idx)
        validate_article(art, entity_labels=ENTITY_TYPES, sentence_labels=SENTENCE_LABELS)
    parts = split(articles)
    print("| split | articles | sentences | " + " | ".join(ENTITY_TYPES) + " | claim | obstacle | both | none |")
    print("|---" * (len(ENTITY_TYPES) + 7) + "|")
    for name, arts in [*parts.items(), ("all", articles)]:
        if name != "all":
            with (DATA / f"{name}.jsonl").open("w", encoding="utf-8") as fh:
                for art in arts:
                    fh.write(json.dumps(art.to_dict(), ensure_ascii=False) + "\n")
        st = stats(arts)
        print(f"| {name} | " + " | ".join(str(v) for v in st.values()) + " |")
    for name, arts in parts.items():
        print(f"{name}: {' '.join(a.id for a in arts)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
