"""Round 5 of the claims/obstacles corpus: every remaining pool article on negotiation
(deterministic, keywords only).

Round 4's model-chosen articles held 148 obstacle sentences in 200 articles; the ones that named
negotiation at least twice held most of them (89 in 54). Round 5 takes every pool article left
(same three days) of 4-80 sentences, not sport, no wire copy of an article of the corpus or of
this round, that names negotiation (select_pool.NEGOTIATION, distinct words) at least twice, or
once with one of select_first.py's topics (topic >= 3), and whose story reaches no dev or test
article; ranked by negotiation + difficulty words, at most PER_SOURCE per newspaper, up to
WANT_ARTICLES. Short articles count now: rounds 1-4 wanted 8 or 10 sentences at least, and the
short reports of talks are where obstacles are dense.

Unlike round 4 these articles may be held out: stories.py draws dev and test from round 5's own
stories, 15% each, so the split of rounds 1-4 does not move.
Appends the chosen articles to pool_selection.tsv (round 5; score = negotiation + difficulty
words) and writes raw/NNN.txt.
Usage: .venv/bin/python -m scripts.claims_corpus.select_rest
"""
from __future__ import annotations

import argparse
import sys

from scripts.claims_corpus.pool_rounds import (append_round, outside_held_out, pool_candidates,
                                               split_of_existing)
from scripts.claims_corpus.select_first import score
from scripts.claims_corpus.select_pool import DIFFICULTY, NEGOTIATION, read_pool, take

ROUND = 5
WANT_ARTICLES = 240
PER_SOURCE = 60
LENGTH = (4, 80)


def negotiation(text: str) -> int:
    return sum(k in text for k in NEGOTIATION)


def on_negotiation(text: str) -> bool:
    n = negotiation(text)
    return n >= 2 or (n >= 1 and score(text)[2] >= 3)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.parse_args(argv)  # no options: --help only
    existing = split_of_existing()
    cands = pool_candidates(read_pool(), existing, LENGTH, on_negotiation)
    for c in cands:
        c["score"] = negotiation(c["text"]) + sum(k in c["text"] for k in DIFFICULTY)
    cands = outside_held_out(cands, existing)
    chosen = take(sorted(cands, key=lambda c: (-c["score"], c["id"])), WANT_ARTICLES, PER_SOURCE)
    append_round(chosen, ROUND, "negotiation", existing)
    print(f"round {ROUND}: {len(chosen)} articles, {sum(c['sentences'] for c in chosen)} sentences",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
