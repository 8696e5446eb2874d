"""Rounds 4 and 6 of the claims/obstacles corpus: pool articles chosen by a claims model
(deterministic given the model).

Rounds 2-3 exhausted the pool's articles that keywords mark as negotiation-centred, and the corpus
still held 286 obstacle sentences (issue 15 asks for 600). Round 4 ranks every remaining pool
article (same three days, 8-40 sentences, not sport, no wire copy of a chosen or existing
article; naming negotiation, NEGOTIATION, or one of select_first.py's topics, topic >= 3) by
the number of obstacle sentences a claims model fine-tuned on the corpus expects in it (the sum
of its per-sentence obstacle probabilities) and takes the best WANT_ARTICLES, at most PER_SOURCE
per newspaper. The model only chooses articles; every label is an annotator's.

Round 6, after round 5 had taken every article left that keywords tie to negotiation, ranks the
rest the same way, from 4 to 80 sentences (round 5's lengths), for the last obstacle sentences
the corpus lacked (557 after round 5).

Model-chosen articles are train-only: a test set chosen by the model under test would flatter it. So
an article whose story (stories.py's TF-IDF link, closed transitively) reaches a dev or test
article is skipped, and stories.py sends every story holding a model-chosen article to train.
Appends the chosen articles to pool_selection.tsv (topic "model"; score = expected obstacle
sentences) and writes raw/NNN.txt.
Usage: .venv/bin/python -m scripts.claims_corpus.select_model --round 4|6 --model RUN_OR_MODEL_DIR
"""
from __future__ import annotations

import argparse
import sys

from scripts.claims_corpus.pool_rounds import (append_round, outside_held_out, pool_candidates,
                                               split_of_existing)
from scripts.claims_corpus.select_first import score
from scripts.claims_corpus.select_pool import NEGOTIATION, read_pool, take

ROUNDS = {4: {"want": 200, "length": (8, 40)}, 6: {"want": 150, "length": (4, 80)}}
PER_SOURCE = 60


def expected_obstacles(model: str, pool: list[dict]) -> list[float]:
    """Sum over each article's sentences of the model's obstacle probability."""
    from araft.corpus.article import Article
    from araft.inference import Predictor

    predictor = Predictor.from_pretrained(model, batch_size=64)
    scored = predictor.predict_articles([Article(r["id"], r["text"]) for r in pool])
    return [sum(s.scores["obstacle"] for s in a.sentences) for a in scored]


def on_topic(text: str) -> bool:
    return any(k in text for k in NEGOTIATION) or score(text)[2] >= 3


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--round", type=int, choices=sorted(ROUNDS), required=True)
    ap.add_argument("--model", required=True, help="a claims run or model folder fine-tuned on the corpus")
    args = ap.parse_args(argv)
    spec = ROUNDS[args.round]
    existing = split_of_existing()
    cands = pool_candidates(read_pool(), existing, spec["length"], on_topic)
    for c, s in zip(cands, expected_obstacles(args.model, cands)):
        c["score"] = round(s, 2)
    cands = outside_held_out(cands, existing)
    chosen = take(sorted(cands, key=lambda c: (-c["score"], c["id"])), spec["want"], PER_SOURCE)
    append_round(chosen, args.round, "model", existing)
    print(f"round {args.round}: {len(chosen)} articles, {sum(c['sentences'] for c in chosen)} sentences, "
          f"{sum(c['score'] for c in chosen):.0f} expected obstacle sentences", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
