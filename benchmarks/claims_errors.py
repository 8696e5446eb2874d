"""Where one sentence label's decisions on the claims corpus's test (or dev) split fall: per selection
round and per article, for the TF-IDF baseline and araft runs.

    .venv/bin/python -m benchmarks.claims_errors [--run RUN_DIR ...] [--label obstacle] [--top 10]
                                                 [--tfidf-context] [--split dev]

Why: the test split's obstacles are few (71 sentences) and cluster in a few articles, and the
corpus's rounds were chosen differently (data/claims_obstacles/README.md, "Selection"), so a
system's one test F1 hides whether it misses a kind of article or a couple of long ones. Printed
for each system: per round the gold positives, the guesses, the hits, F1 and ROC-AUC (how well its
scores rank the round's sentences); then the articles holding the most gold positives, with each
system's hits and guesses there. TF-IDF is araft's (benchmarks.claims_quality), its thresholds
chosen on dev; a run is read from its predictions (labels and scores) of the split. On dev every
system's thresholds (and a run's checkpoint and blend weight) were chosen on the same sentences, so
its figures there are optimistic.
Results: docs/benchmarks.md, "Where the test obstacles are".
"""
from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import numpy as np

from benchmarks import claims_quality as cq


def breakdown(gold: np.ndarray, guess: np.ndarray, scores: np.ndarray | None,
              groups: list) -> dict:
    """Per group (one key per sentence): sentences, gold, guesses, hits, F1 and, given scores
    and both classes in the group, ROC-AUC."""
    from sklearn.metrics import roc_auc_score

    gold, guess, keys = np.asarray(gold, bool), np.asarray(guess, bool), np.asarray(groups)
    out = {}
    for key in dict.fromkeys(groups):
        rows = keys == key
        g, p = gold[rows], guess[rows]
        hits, n_gold, n_guess = int((g & p).sum()), int(g.sum()), int(p.sum())
        auc = (float(roc_auc_score(g, scores[rows])) if scores is not None and 0 < n_gold < len(g)
               else None)
        out[key] = {"sentences": int(rows.sum()), "gold": n_gold, "guesses": n_guess, "hits": hits,
                    "f1": 2 * hits / (n_gold + n_guess) if n_gold + n_guess else 1.0, "auc": auc}
    return out


def systems_of(train, dev, scored, split: str, runs: list[Path],
               tfidf_context: bool = False) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """name -> (labels and scores [n, len(LABELS)] of the ``scored`` split, named ``split``)."""
    probs, pred, _ = cq.tfidf_scored(train, dev, scored)
    systems = {"TF-IDF": (pred, probs)}
    if tfidf_context:
        probs, pred, _ = cq.tfidf_scored(train, dev, scored, context=True)
        systems["TF-IDF, article context"] = (pred, probs)
    for name, run in run_names(runs).items():
        systems[name] = tuple(cq.run_fields(run, split, scored[2], ("labels", "scores")))
    return systems


def run_names(runs: list[Path]) -> dict[str, Path]:
    """Each run's experiment, with its folder's name where several runs share one (seeds)."""
    experiments = [cq.system_name(run, {}).removeprefix("araft ") for run in runs]
    return {(e if experiments.count(e) == 1 else f"{e} ({run.name})"): run
            for e, run in zip(experiments, runs)}


def _cell(row: dict) -> str:
    auc = "" if row["auc"] is None else f", AUC {row['auc']:.2f}"
    return f"{row['f1']:.3f} ({row['hits']}/{row['guesses']}{auc})"


def report(label: str, split: str, scored, systems: dict, top: int) -> str:
    k = cq.LABELS.index(label)
    gold, articles = scored[1][:, k], cq.article_ids(scored[2])
    rounds = cq.article_rounds(articles)
    round_of = dict(zip(articles, rounds))
    names = list(systems)
    per_round = {n: breakdown(gold, p[:, k], s[:, k], rounds)
                 for n, (p, s) in systems.items()}
    per_article = {n: breakdown(gold, p[:, k], None, articles) for n, (p, _) in systems.items()}
    head = "| {} | sentences | gold | " + " | ".join(f"{n}: F1 (hits/guesses)" for n in names) + " |"
    rule = "|---|---|---|" + "---|" * len(names)
    lines = [f"{label}, {split}: {int(gold.sum())} gold sentences in {len(set(articles))} articles", "",
             head.format("round"), rule]
    for r in sorted(set(rounds)):
        first = per_round[names[0]][r]
        lines.append(f"| {r} | {first['sentences']} | {first['gold']} | "
                     + " | ".join(_cell(per_round[n][r]) for n in names) + " |")
    counts = Counter(a for a, g in zip(articles, gold) if g)
    biggest = counts.most_common(top)
    share = sum(c for _, c in biggest) / max(1, int(gold.sum()))
    lines += ["", f"The {len(biggest)} articles with the most gold {label} sentences hold {share:.0%} of them:",
              "", head.format("article (round)").replace("F1 (hits/guesses)", "hits/guesses"), rule]
    for a, _ in biggest:
        first = per_article[names[0]][a]
        lines.append(f"| {a} ({round_of[a]}) | {first['sentences']} | {first['gold']} | "
                     + " | ".join(f"{per_article[n][a]['hits']}/{per_article[n][a]['guesses']}"
                                  for n in names) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--run", type=Path, action="append", default=[], help="an araft run directory (repeat)")
    ap.add_argument("--label", choices=cq.LABELS, default="obstacle")
    ap.add_argument("--top", type=int, default=10, help="how many articles to list")
    ap.add_argument("--tfidf-context", action="store_true",
                    help="also TF-IDF with the article-context stage of task.tfidf_context")
    ap.add_argument("--split", choices=("test", "dev"), default="test",
                    help="the split to break down (dev: where every threshold was chosen)")
    args = ap.parse_args(argv)
    train, dev = cq.load_split("train"), cq.load_split("dev")
    scored = dev if args.split == "dev" else cq.load_split("test")
    systems = systems_of(train, dev, scored, args.split, args.run, args.tfidf_context)
    print(report(args.label, args.split, scored, systems, args.top))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
