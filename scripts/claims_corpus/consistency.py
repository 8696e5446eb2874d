"""Check the whole claims corpus against itself: entity decisions that differ between articles.

For the annotation each article is released with (final/ when it exists, else its one pass; see
assemble.load), lists
- surfaces given different types in different places (a name typed LOC in one article, ORG in another);
- surfaces tagged somewhere but left untagged, as a whole word, elsewhere (a name one annotator missed,
  or a decision rule E5 says is not a name, applied in only some articles).
Each line names the articles, so a reviewer can fix the annotation or confirm the difference is meant
(the same string can be a name in one sentence and not in another). Exit status 0: a report, not a test.
Usage: .venv/bin/python -m scripts.claims_corpus.consistency [--min-count 2] [--types-only]
"""
from __future__ import annotations

import argparse
import sys
from collections import defaultdict

from araft.corpus.article import Article
from scripts.claims_corpus.annotate import word_occurrences
from scripts.claims_corpus.assemble import load, passes_of, stories


def released() -> list[Article]:
    """Every article as assemble.py would release it; articles not annotated yet are skipped."""
    story_of, passes = stories(), passes_of()
    out = []
    for idx, (_, split) in sorted(story_of.items()):
        try:
            out.append(load(idx, split, passes.get(idx, [])))
        except SystemExit:
            continue
    return out


def report(articles: list[Article], min_count: int = 2, types_only: bool = False) -> list[str]:
    typed: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for art in articles:
        for ent in art.entities:
            typed[art.text[ent.start:ent.end]][ent.label].add(art.id)
    lines = []
    for surface, by_type in sorted(typed.items()):
        if len(by_type) > 1:
            parts = "; ".join(f"{t}: {' '.join(sorted(ids))}" for t, ids in sorted(by_type.items()))
            lines.append(f"TYPE\t{surface}\t{parts}")
    if types_only:
        return lines
    for surface, by_type in sorted(typed.items()):
        tagged_in = set().union(*by_type.values())
        if len(tagged_in) < min_count:
            continue
        missed = []
        for art in articles:
            spans = {(e.start, e.end) for e in art.entities}
            covered = [(e.start, e.end) for e in art.entities]
            for start in word_occurrences(art.text, surface):
                end = start + len(surface)
                inside = any(s <= start and end <= e for s, e in covered)
                if (start, end) not in spans and not inside:
                    missed.append(f"{art.id}@{start}")
        if missed:
            lines.append(f"UNTAGGED\t{surface}\ttagged in {len(tagged_in)} articles\t"
                         f"untagged at {' '.join(missed[:12])}{' ...' if len(missed) > 12 else ''}")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--min-count", type=int, default=2,
                    help="check untagged uses of surfaces tagged in at least this many articles")
    ap.add_argument("--types-only", action="store_true")
    args = ap.parse_args(argv)
    lines = report(released(), args.min_count, args.types_only)
    print("\n".join(lines))
    print(f"{len(lines)} findings", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
