"""Inter-annotator agreement over the doubly annotated articles of the claims/obstacles corpus.

Pairs: every article annotated in two pass folders (see doubly_annotated). Reports entity F1
between the two passes (exact span + type; overall and per type; F1 is symmetric so neither pass
is "gold") and Cohen's kappa per sentence label (claim, obstacle; each a yes/no decision per
sentence). ``--diff`` lists every disagreement, for adjudication.
``--review`` measures the re-check instead: each article annotated once is paired with its
re-checked annotations/final file (how much the review changed; the pass is the first "annotator").
Usage: .venv/bin/python -m scripts.claims_corpus.agreement [--review] [--diff] [--json out.json] [NNN ...]
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from araft.corpus.article import Article
from scripts.claims_corpus.annotate import ENTITY_TYPES, SENTENCE_LABELS, build_pass
from scripts.claims_corpus.assemble import passes_of
from scripts.claims_corpus.common import DATA
from scripts.claims_corpus.stories import selection_round, selection_rounds

# The rounds reported apart (a round without pairs is left out): round 1 (articles 001-040, passes
# A, A2, B, B2, annotated first, before the guideline was complete), rounds 2-3, and rounds 4-6
# (double passes only in round 5's dev and test; the re-check covers the train passes of all).
ROUND_GROUPS = {"round_1": {1}, "rounds_2_3": {2, 3}, "round_4": {4}, "round_5": {5}, "round_6": {6}}


def doubly_annotated() -> dict[str, tuple[str, str]]:
    """article index -> (first pass, second pass), for every article found in two pass folders.

    Passes sort by name (A, A2, B, B2, C1, ..., D1, ...), which puts each article's first
    annotation before the independent second one; 'final' is the adjudication, never a pass.
    """
    return {idx: (ps[0], ps[1]) for idx, ps in sorted(passes_of().items()) if len(ps) >= 2}


def rechecked() -> dict[str, tuple[str, str]]:
    """article index -> (its one pass, "final"), for every single-pass article with a re-check."""
    final = DATA / "annotations" / "final"
    return {idx: (ps[0], "final") for idx, ps in sorted(passes_of().items())
            if len(ps) == 1 and (final / f"{idx}.yaml").exists()}


def cohen_kappa(x: list[int], y: list[int]) -> float:
    """Cohen's kappa of two binary label lists (1.0 when both are constant and equal)."""
    n = len(x)
    po = sum(a == b for a, b in zip(x, y)) / n
    px, py = sum(x) / n, sum(y) / n
    pe = px * py + (1 - px) * (1 - py)
    return 1.0 if pe == 1 else (po - pe) / (1 - pe)


def f1(a: set, b: set) -> dict:
    tp = len(a & b)
    p = tp / len(b) if b else 1.0
    r = tp / len(a) if a else 1.0
    return {"f1": 0.0 if p + r == 0 else 2 * p * r / (p + r), "both": tp,
            "only_first": len(a - b), "only_second": len(b - a)}


def load_pairs(only: set[str] | None = None, review: bool = False) -> list[tuple[Article, Article]]:
    out = []
    for idx, (first, second) in (rechecked() if review else doubly_annotated()).items():
        if only is None or idx in only:
            out.append((build_pass(first, [idx])[0], build_pass(second, [idx])[0]))
    return out


def agreement(pairs: list[tuple[Article, Article]]) -> dict:
    ents_a, ents_b = set(), set()
    labels = {lab: ([], []) for lab in SENTENCE_LABELS}
    n_sent = 0
    for a, b in pairs:
        ents_a |= {(a.id, e.start, e.end, e.label) for e in a.entities}
        ents_b |= {(b.id, e.start, e.end, e.label) for e in b.entities}
        sa, sb = a.sentences or [], b.sentences or []
        if [(s.start, s.end) for s in sa] != [(s.start, s.end) for s in sb]:
            raise SystemExit(f"{a.id}: the passes have different sentence spans")
        n_sent += len(sa)
        for lab, (xs, ys) in labels.items():
            xs += [int(lab in s.labels) for s in sa]
            ys += [int(lab in s.labels) for s in sb]
    result = {"articles": len(pairs), "sentences": n_sent, "entities": f1(ents_a, ents_b),
              "entities_per_type": {t: f1({e for e in ents_a if e[3] == t}, {e for e in ents_b if e[3] == t})
                                    for t in ENTITY_TYPES},
              "entities_unlabelled_span": f1({e[:3] for e in ents_a}, {e[:3] for e in ents_b})}
    for lab, (xs, ys) in labels.items():
        result[f"kappa_{lab}"] = cohen_kappa(xs, ys)
        result[f"agreement_{lab}"] = sum(p == q for p, q in zip(xs, ys)) / len(xs)
        result[f"count_{lab}"] = [sum(xs), sum(ys)]
    return result


def diff(pairs: list[tuple[Article, Article]]) -> None:
    for a, b in pairs:
        ea = {(e.start, e.end, e.label) for e in a.entities}
        eb = {(e.start, e.end, e.label) for e in b.entities}
        for s, e, lab in sorted(ea - eb):
            print(f"{a.id}\tENT only {a.meta['annotation_pass']}\t{lab}\t{s}-{e}\t{a.text[s:e]}")
        for s, e, lab in sorted(eb - ea):
            print(f"{a.id}\tENT only {b.meta['annotation_pass']}\t{lab}\t{s}-{e}\t{b.text[s:e]}")
        for i, (x, y) in enumerate(zip(a.sentences or [], b.sentences or [])):
            if set(x.labels) != set(y.labels):
                print(f"{a.id}\tSENT [{i}]\t{a.meta['annotation_pass']}={','.join(x.labels) or '-'}\t"
                      f"{b.meta['annotation_pass']}={','.join(y.labels) or '-'}\t{a.text[x.start:x.end][:90]}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--diff", action="store_true", help="list every disagreement")
    ap.add_argument("--review", action="store_true",
                    help="single passes against their re-check (annotations/final), not double passes")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument("articles", nargs="*", help="only these articles (e.g. 045 048); default all")
    args = ap.parse_args(argv)
    pairs = load_pairs(set(args.articles) or None, review=args.review)
    if not pairs:
        raise SystemExit("no single pass is re-checked yet" if args.review
                         else "no article is annotated in two passes yet")
    round_of = selection_rounds()
    result = {"all": agreement(pairs), "passes": {a.id: [a.meta["annotation_pass"], b.meta["annotation_pass"]]
                                                 for a, b in pairs}}
    for name, rounds in ROUND_GROUPS.items():
        group = [p for p in pairs if selection_round(round_of, p[0].id) in rounds]
        if group:
            result[name] = agreement(group)
    print(json.dumps(result, indent=1, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if args.diff:
        diff(pairs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
