"""Assemble the released claims/obstacles corpus from the annotation passes.

Each article of stories.tsv goes to the split stories.tsv gives it (whole stories, see stories.py).
Its annotation is annotations/final/NNN.yaml when one exists (adjudicated, or re-checked), else the
one pass that annotated it; an article found in two passes without a final file is an error (it
must be adjudicated first), and so is a dev or test article annotated only once (issue 15: every
held-out article is annotated twice). Every article is validated
(araft.corpus.article.validate_article); {train,dev,test}.jsonl are written and the counts per
split printed for the README.
Usage: .venv/bin/python -m scripts.claims_corpus.assemble
"""
from __future__ import annotations

import argparse
import json
from collections import Counter

from araft.corpus.article import Article, validate_article
from scripts.claims_corpus.annotate import ENTITY_TYPES, SENTENCE_LABELS, build_pass
from scripts.claims_corpus.common import DATA, read_table

SPLITS = ("train", "dev", "test")


def stories() -> dict[str, tuple[str, str]]:
    """index -> (story, split) from stories.tsv."""
    return {r["index"]: (r["story"], r["split"]) for r in read_table("stories.tsv")}


def passes_of() -> dict[str, list[str]]:
    """index -> the annotation passes (folders other than final) that hold it, sorted."""
    out: dict[str, list[str]] = {}
    for folder in sorted(p for p in (DATA / "annotations").iterdir() if p.is_dir() and p.name != "final"):
        for path in folder.glob("*.yaml"):
            out.setdefault(path.stem, []).append(folder.name)
    return out


def load(idx: str, split: str, passes: list[str]) -> Article:
    final = DATA / "annotations" / "final" / f"{idx}.yaml"
    if final.exists():
        art = build_pass("final", [idx])[0]
        who = "+".join(passes) + (", adjudicated" if len(passes) > 1 else ", re-checked")
    elif len(passes) == 1 and split == "train":
        art = build_pass(passes[0], [idx])[0]
        who = passes[0]
    elif not passes:
        raise SystemExit(f"article {idx}: not annotated in any pass")
    else:
        raise SystemExit(f"article {idx} ({split}): annotated in {passes}; needs two passes and "
                         f"an adjudicated annotations/final/{idx}.yaml")
    art.meta.pop("annotation_pass", None)
    art.meta["annotators"] = who
    return art


def stats(arts: list[Article]) -> dict:
    ents = Counter(e.label for a in arts for e in a.entities)
    sents = [s for a in arts for s in a.sentences or []]
    labs = Counter(lab for s in sents for lab in s.labels)
    both = sum(1 for s in sents if len(s.labels) == 2)
    return {"articles": len(arts), "sentences": len(sents), **{t: ents[t] for t in ENTITY_TYPES},
            **{lab: labs[lab] for lab in SENTENCE_LABELS}, "both": both,
            "none": sum(1 for s in sents if not s.labels)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.parse_args(argv)  # no options: --help only
    story_of, passes = stories(), passes_of()
    parts: dict[str, list[Article]] = {name: [] for name in SPLITS}
    for idx, (story, split) in sorted(story_of.items()):
        art = load(idx, split, passes.get(idx, []))
        art.meta["story"] = story
        validate_article(art, entity_labels=ENTITY_TYPES, sentence_labels=SENTENCE_LABELS)
        parts[split].append(art)
    print("| split | articles | sentences | " + " | ".join(ENTITY_TYPES) + " | claim | obstacle | both | none |")
    print("|---" * (len(ENTITY_TYPES) + 7) + "|")
    everything = [a for arts in parts.values() for a in arts]
    for name, arts in [*parts.items(), ("all", everything)]:
        if name != "all":
            with (DATA / f"{name}.jsonl").open("w", encoding="utf-8") as fh:
                for art in arts:
                    fh.write(json.dumps(art.to_dict(), ensure_ascii=False) + "\n")
        print(f"| {name} | " + " | ".join(str(v) for v in stats(arts).values()) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
