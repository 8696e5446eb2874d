"""What the later selection rounds of the claims corpus share (select_model.py, rounds 4 and 6;
select_rest.py, round 5): the articles already in the corpus, the story reach into dev and test,
the pool filters, and appending a round to pool_selection.tsv (the choice itself:
select_pool.take)."""
from __future__ import annotations

from scripts.claims_corpus.assemble import stories
from scripts.claims_corpus.common import DATA, _own_split
from scripts.claims_corpus.select_pool import COLUMNS, SPORT, is_copy
from scripts.claims_corpus.stories import group, selection_round, selection_rounds


def split_of_existing() -> dict[str, str]:
    """index -> split of every article in stories.tsv."""
    return {idx: split for idx, (_, split) in stories().items()}


def raw_text(idx: str) -> str:
    return (DATA / "raw" / f"{idx}.txt").read_text(encoding="utf-8")


def held_out_reach(texts: list[str], held_out: list[bool], fit: int) -> list[bool]:
    """For each text, whether its story (stories.group, similarity fitted on the first ``fit``
    texts) holds a held-out article."""
    story = group([str(k) for k in range(len(texts))], texts, fit=fit)
    held = {story[str(k)] for k, h in enumerate(held_out) if h}
    return [story[str(k)] in held for k in range(len(texts))]


def outside_held_out(cands: list[dict], existing: dict[str, str]) -> list[dict]:
    """The candidates whose story reaches no dev or test article of the corpus (similarity
    weights fitted on the articles of rounds 1-3, as stories.py fits them)."""
    round_of = selection_rounds()
    early = sorted(i for i in existing if selection_round(round_of, i) <= 3)
    rest = sorted(i for i in existing if selection_round(round_of, i) > 3)
    texts = [raw_text(i) for i in early + rest] + [c["text"] for c in cands]
    held = [existing[i] != "train" for i in early + rest] + [False] * len(cands)
    reach = held_out_reach(texts, held, len(early))[len(early) + len(rest):]
    return [c for c, r in zip(cands, reach) if not r]


def pool_candidates(pool: list[dict], existing: dict[str, str], length: tuple[int, int],
                    keep) -> list[dict]:
    """Pool articles of ``length`` sentences (min, max), not sport, passing ``keep(text)``, and
    neither an article of the corpus nor a wire copy of one; each with its sentence count."""
    texts = [raw_text(i) for i in sorted(existing)]
    titles = {t.split("\n", 1)[0].strip() for t in texts}
    words = [set(t.split()) for t in texts]
    out = []
    for rec in pool:
        n_sent = len(_own_split(rec["text"]))
        if not length[0] <= n_sent <= length[1] or sum(k in rec["text"] for k in SPORT) >= 2:
            continue
        if keep(rec["text"]) and not is_copy(rec, titles, words):
            out.append({**rec, "sentences": n_sent})
    return out


def append_round(chosen: list[dict], round_no: int, topic: str, existing: dict[str, str]) -> None:
    """Write raw/NNN.txt for the chosen articles (numbered after the corpus's last) and append
    their rows to pool_selection.tsv; refuses a round the table already holds."""
    table = (DATA / "pool_selection.tsv").read_text(encoding="utf-8").splitlines()
    if table[0].split("\t") != COLUMNS:
        raise SystemExit("pool_selection.tsv: unexpected header")
    if any(r.split("\t")[-1] == str(round_no) for r in table[1:]):
        raise SystemExit(f"pool_selection.tsv already holds round {round_no}; remove its rows to choose again")
    first = max(int(i) for i in existing) + 1
    rows = []
    for k, c in enumerate(chosen):
        idx = f"{first + k:03d}"
        (DATA / "raw" / f"{idx}.txt").write_text(c["text"], encoding="utf-8")
        rows.append("\t".join([idx, c["id"], c["source"], c["date"], c["url"], c["title"].strip(),
                               str(c["sentences"]), topic, str(c["score"]), str(round_no)]))
    (DATA / "pool_selection.tsv").write_text("\n".join(table + rows) + "\n", encoding="utf-8")
