"""Round 4 of the claims/obstacles corpus: pool articles chosen by a claims model (deterministic
given the model).

Rounds 2-3 exhausted the pool's articles that keywords mark as negotiation-centred, and the corpus
still held 286 obstacle sentences (issue 15 asks for 600). Round 4 ranks every remaining pool
article (same three days, 8-40 sentences, not sport, no wire copy of a chosen or existing
article; naming negotiation, NEGOTIATION, or one of select_first.py's topics, topic >= 3) by
the number of obstacle sentences a claims model fine-tuned on the corpus expects in
it (the sum of its per-sentence obstacle probabilities) and takes the best WANT_ARTICLES, at most
PER_SOURCE per newspaper. The model only chooses articles; every label is an annotator's.

Round-4 articles are train-only: a test set chosen by the model under test would flatter it. So
an article whose story (stories.py's TF-IDF link, closed transitively) reaches a dev or test
article is skipped, and stories.py sends every story holding a round-4 article to train.
Appends the chosen articles to pool_selection.tsv (round 4; score = expected obstacle
sentences) and writes raw/NNN.txt.
Usage: .venv/bin/python -m scripts.claims_corpus.select_model --model RUN_OR_MODEL_DIR
"""
from __future__ import annotations

import argparse
import sys

from scripts.claims_corpus.common import DATA, _own_split
from scripts.claims_corpus.select_first import score
from scripts.claims_corpus.select_pool import COLUMNS, NEGOTIATION, SPORT, is_copy, read_pool
from scripts.claims_corpus.stories import SAME_STORY, similarity

ROUND = 4
WANT_ARTICLES = 200
PER_SOURCE = 60
LENGTH = (8, 40)


def expected_obstacles(model: str, pool: list[dict]) -> list[float]:
    """Sum over each article's sentences of the model's obstacle probability."""
    from araft.corpus.article import Article
    from araft.inference import Predictor

    predictor = Predictor.from_pretrained(model, batch_size=64)
    scored = predictor.predict_articles([Article(r["id"], r["text"]) for r in pool])
    return [sum(s.scores["obstacle"] for s in a.sentences) for a in scored]


def held_out_reach(texts: list[str], held_out: list[bool], fit: int) -> list[bool]:
    """For each text, whether its story (similarity >= SAME_STORY, fitted on the first ``fit``
    texts as stories.py does, transitively) holds a held-out article."""
    sim = similarity(texts, fit)
    reach = list(held_out)
    frontier = [i for i, h in enumerate(held_out) if h]
    while frontier:
        i = frontier.pop()
        for j in range(len(texts)):
            if not reach[j] and sim[i, j] >= SAME_STORY:
                reach[j] = True
                frontier.append(j)
    return reach


def split_of_existing() -> dict[str, str]:
    rows = (DATA / "stories.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return {r.split("\t")[0]: r.split("\t")[2] for r in rows if r.strip()}


def candidates(pool: list[dict], existing: dict[str, str]) -> list[dict]:
    """Pool articles of the right length, on negotiation or a topic and not sport, not an existing
    article or a copy of one."""
    texts = [(DATA / "raw" / f"{i}.txt").read_text(encoding="utf-8") for i in sorted(existing)]
    titles = {t.split("\n", 1)[0].strip() for t in texts}
    words = [set(t.split()) for t in texts]
    out = []
    for rec in pool:
        n_sent = len(_own_split(rec["text"]))
        if not LENGTH[0] <= n_sent <= LENGTH[1] or sum(k in rec["text"] for k in SPORT) >= 2:
            continue
        if not any(k in rec["text"] for k in NEGOTIATION) and score(rec["text"])[2] < 3:
            continue
        if not is_copy(rec, titles, words):
            out.append({**rec, "sentences": n_sent})
    return out


def choose(cands: list[dict], existing: dict[str, str]) -> list[dict]:
    idx = sorted(existing)
    texts = [(DATA / "raw" / f"{i}.txt").read_text(encoding="utf-8") for i in idx] + [c["text"] for c in cands]
    held = [existing[i] != "train" for i in idx] + [False] * len(cands)
    reach = held_out_reach(texts, held, len(idx))[len(idx):]
    order = sorted((c for c, r in zip(cands, reach) if not r), key=lambda c: (-c["score"], c["id"]))
    chosen, titles, words, per_source = [], set(), [], {}
    for c in order:
        if len(chosen) >= WANT_ARTICLES:
            break
        if is_copy(c, titles, words) or per_source.get(c["source"], 0) >= PER_SOURCE:
            continue
        per_source[c["source"]] = per_source.get(c["source"], 0) + 1
        titles.add(c["title"].strip())
        words.append(set(c["text"].split()))
        chosen.append(c)
    chosen.sort(key=lambda c: (c["date"], c["id"]))
    return chosen


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="a claims run or model folder fine-tuned on the corpus")
    args = ap.parse_args(argv)
    existing = split_of_existing()
    table = (DATA / "pool_selection.tsv").read_text(encoding="utf-8").splitlines()
    if any(r.split("\t")[-1] == str(ROUND) for r in table[1:]):
        raise SystemExit(f"pool_selection.tsv already holds round {ROUND}; remove its rows to choose again")
    cands = candidates(read_pool(), existing)
    for c, s in zip(cands, expected_obstacles(args.model, cands)):
        c["score"] = round(s, 2)
    chosen = choose(cands, existing)
    first = max(int(i) for i in existing) + 1
    rows = []
    for k, c in enumerate(chosen):
        idx = f"{first + k:03d}"
        (DATA / "raw" / f"{idx}.txt").write_text(c["text"], encoding="utf-8")
        rows.append("\t".join([idx, c["id"], c["source"], c["date"], c["url"], c["title"].strip(),
                               str(c["sentences"]), "model", str(c["score"]), str(ROUND)]))
    assert table[0].split("\t") == COLUMNS
    (DATA / "pool_selection.tsv").write_text("\n".join(table + rows) + "\n", encoding="utf-8")
    print(f"round {ROUND}: {len(chosen)} articles, {sum(c['sentences'] for c in chosen)} sentences, "
          f"{sum(c['score'] for c in chosen):.0f} expected obstacle sentences", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
