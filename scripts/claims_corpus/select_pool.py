"""Choose the new articles of the claims/obstacles corpus from its held-back pool (deterministic).

The pool is every SaudiNewsNet 2015 article dated 2015-07-23, 2015-07-24 or 2015-08-03 (4,725
articles): the embedded encoder's pretraining never saw these days, so a model fine-tuned on the
corpus is scored on text its encoder never read.

Criteria, on top of select_first.py's scoring (topic groups, attribution verbs, difficulty words):
1. Length 10-30 sentences (select._own_split's pinned rule), title + body.
2. topic >= 3, attribution >= 2 and at least one difficulty word, as select_first.py; ranked by
   select_first.py's score plus 2 per distinct difficulty word (up to 5 more), since the corpus needs
   about one obstacle sentence in four.
3. No wire copies: an article whose title equals a chosen or existing article's, or whose word-set
   Jaccard with one is >= 0.5, is skipped (a copy would be annotated twice for nothing).
4. At most PER_GROUP articles per dominant topic group and PER_SOURCE per newspaper, best score first,
   until WANT_ARTICLES new articles (round 2: indices 041-150).
Round 3 (indices 151 on), because round 2's articles held too few obstacle sentences (an obstacle
needs talks, an agreement or a settlement to stand in the way of): every remaining pool article of
8-40 sentences that names negotiation at least twice (NEGOTIATION: distinct words) and difficulty at
least twice (DIFFICULTY), with attribution >= 2 and select_first.py's topic >= 3, not sport (fewer
than 2 distinct SPORT words), no wire copy of a chosen one, ranked by those two
counts, at most PER_SOURCE per newspaper, until ROUND3_ARTICLES.
Writes raw/NNN.txt (title + "\\n" + content, as the JSONL has them) and pool_selection.tsv with the
article's SaudiNewsNet id, newspaper, date, url and round.
Usage: .venv/bin/python -m scripts.claims_corpus.select_pool
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from scripts.claims_corpus.common import DATA, REPO, _own_split
from scripts.claims_corpus.select_first import ATTRIBUTION, OBSTACLE, score

POOL = REPO.parent / "shared" / "data" / "saudinewsnet" / "saudinewsnet_2015.jsonl"
POOL_DAYS = ("2015-07-23", "2015-07-24", "2015-08-03")
WANT_ARTICLES = 110
FIRST_INDEX = 41
PER_GROUP = 24
PER_SOURCE = 18
NEAR_DUP = 0.5
ROUND3_ARTICLES = 80
NEGOTIATION = ["مفاوضات", "المفاوضات", "محادثات", "المحادثات", "مباحثات", "الحوار", "تسوية",
               "الحل السياسي", "حل سياسي", "مبادرة", "وساطة", "هدنة", "وقف إطلاق النار", "جنيف",
               "مؤتمر", "اتفاق", "الاتفاق", "المصالحة", "عملية السلام"]
DIFFICULTY = OBSTACLE + ["عراقيل", "يعرقل", "تعطيل", "فشل", "انهيار", "رفضت", "يرفض", "ترفض", "شروط",
                         "تعنت", "خروقات", "مأزق", "طريق مسدود", "تعقيد", "عائق", "عوائق", "يهدد", "تهدد"]
SPORT = ["النادي", "الأندية", "لاعب", "اللاعب", "المدرب", "الدوري", "مباراة", "المنتخب", "الهلال", "النصر"]
COLUMNS = ["index", "snn_id", "newspaper", "date", "url", "title", "sentences", "topic", "score", "round"]


def read_pool(path: Path = POOL) -> list[dict]:
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec["date"] in POOL_DAYS:
                rec["text"] = rec["title"].strip() + "\n" + rec["content"].strip()
                out.append(rec)
    return out


def existing_articles() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((DATA / "raw").glob("0[0-3]*.txt"))
            if int(p.stem) < FIRST_INDEX]


def is_copy(rec: dict, seen_titles: set[str], seen_words: list[set[str]]) -> bool:
    words = set(rec["text"].split())
    return rec["title"].strip() in seen_titles or any(
        len(words & w) / len(words | w) >= NEAR_DUP for w in seen_words)


def choose_round3(pool: list[dict], taken: list[dict], existing: list[str]) -> list[dict]:
    """Negotiation- and difficulty-dense articles not yet chosen (see the module docstring)."""
    ids = {c["id"] for c in taken}
    seen_titles = {t.split("\n", 1)[0].strip() for t in existing} | {c["title"].strip() for c in taken}
    seen_words = [set(t.split()) for t in existing] + [set(c["text"].split()) for c in taken]
    candidates = []
    for rec in pool:
        n_sent = len(_own_split(rec["text"]))
        if rec["id"] in ids or not 8 <= n_sent <= 40:
            continue
        neg = sum(k in rec["text"] for k in NEGOTIATION)
        dif = sum(k in rec["text"] for k in DIFFICULTY)
        attr = sum(rec["text"].count(k) for k in ATTRIBUTION)
        _, dominant, topic, _, _ = score(rec["text"])
        sport = sum(k in rec["text"] for k in SPORT)  # «الاتفاق» is also a football club
        if neg >= 2 and dif >= 2 and attr >= 2 and topic >= 3 and sport < 2:
            candidates.append((-(neg + dif), rec["id"], n_sent, dominant, rec))
    candidates.sort(key=lambda c: (c[0], c[1]))
    order = [{**rec, "sentences": n_sent, "topic": dominant, "score": -neg, "round": 3}
             for neg, _, n_sent, dominant, rec in candidates]
    return take(order, ROUND3_ARTICLES, PER_SOURCE, seen_titles, seen_words)


def take(order: list[dict], want: int, per_source: int, titles: set[str] | None = None,
         words: list[set[str]] | None = None) -> list[dict]:
    """The first ``want`` of ``order`` that are no wire copy of one taken before them or of the
    articles behind ``titles`` and ``words`` (is_copy), at most ``per_source`` per newspaper;
    sorted by date and id."""
    titles, words = set(titles or ()), list(words or ())
    chosen, count = [], {}
    for c in order:
        if len(chosen) >= want:
            break
        if is_copy(c, titles, words) or count.get(c["source"], 0) >= per_source:
            continue
        count[c["source"]] = count.get(c["source"], 0) + 1
        titles.add(c["title"].strip())
        words.append(set(c["text"].split()))
        chosen.append(c)
    return sorted(chosen, key=lambda c: (c["date"], c["id"]))


def choose(pool: list[dict], existing: list[str]) -> list[dict]:
    candidates = []
    for rec in pool:
        n_sent = len(_own_split(rec["text"]))
        if not 10 <= n_sent <= 30:
            continue
        s, dominant, topic, attr, obst = score(rec["text"])
        if topic >= 3 and attr >= 2 and obst >= 1:
            s += 2 * min(obst, 5)
            candidates.append((-s, rec["id"], dominant, n_sent, rec))
    candidates.sort(key=lambda c: (c[0], c[1]))
    seen_titles = {t.split("\n", 1)[0].strip() for t in existing}
    seen_words = [set(t.split()) for t in existing]
    chosen, per_group, per_source = [], {}, {}
    for neg, _, dominant, n_sent, rec in candidates:
        if len(chosen) >= WANT_ARTICLES:
            break
        if is_copy(rec, seen_titles, seen_words):
            continue
        if per_group.get(dominant, 0) >= PER_GROUP or per_source.get(rec["source"], 0) >= PER_SOURCE:
            continue
        per_group[dominant] = per_group.get(dominant, 0) + 1
        per_source[rec["source"]] = per_source.get(rec["source"], 0) + 1
        seen_titles.add(rec["title"].strip())
        seen_words.append(set(rec["text"].split()))
        chosen.append({**rec, "sentences": n_sent, "topic": dominant, "score": -neg, "round": 2})
    chosen.sort(key=lambda c: (c["date"], c["id"]))
    return chosen


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.parse_args(argv)  # no options: --help only
    pool, existing = read_pool(), existing_articles()
    chosen = choose(pool, existing)
    chosen += choose_round3(pool, chosen, existing)
    rows = ["\t".join(COLUMNS)]
    for k, c in enumerate(chosen):
        idx = f"{FIRST_INDEX + k:03d}"
        (DATA / "raw" / f"{idx}.txt").write_text(c["text"], encoding="utf-8")
        rows.append("\t".join([idx, c["id"], c["source"], c["date"], c["url"], c["title"].strip(),
                               str(c["sentences"]), c["topic"], str(c["score"]), str(c["round"])]))
    table = DATA / "pool_selection.tsv"
    later = [r for r in table.read_text(encoding="utf-8").splitlines()[1:]
             if r.strip() and int(r.split("\t")[-1]) >= 4] if table.exists() else []
    table.write_text("\n".join(rows + later) + "\n", encoding="utf-8")  # rounds 4-6 stay (their own scripts)
    print(f"{len(chosen)} articles, {sum(c['sentences'] for c in chosen)} sentences", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
