"""Would a trained claims or joint model gain from TF-IDF beside it? Its sentence probabilities
blended with TF-IDF + logistic regression's, the weight chosen on dev.

    .venv/bin/python -m benchmarks.claims_blend --run RUN [--run RUN ...] [--space prob] [--json out.json]

For each run (its predictions/dev.jsonl and test.jsonl scores): p = blend of the run's and TF-IDF's
probability per label (claims_quality's TF-IDF, fit on train, C on dev), in logit space by default,
with weight w in 0, 0.1, ..., 1 on TF-IDF; for each w the per-label thresholds are tuned on dev as the
claims task tunes them (label_f1), and the w with the best dev micro F1 is kept (the smaller on a tie).
Printed: ROC-AUC per label of the run and of TF-IDF on dev and test, the obstacle precision among the
k test sentences each ranks highest, the dev and test micro F1 at each w, and the chosen blend against
the run on test, paired over whole articles.

Why: fine-tuned, the embedded encoder ranks obstacle sentences below TF-IDF's n-grams. If the two
rankings held different signal, a blend would beat both, and shipping TF-IDF beside the model would pay.
Results: docs/benchmarks.md, "A TF-IDF blend".
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from benchmarks.claims_quality import (LABELS, article_ids, compare, fit_tfidf, load_split, micro_f1,
                                       run_split, system_name)

WEIGHTS = tuple(round(0.1 * k, 1) for k in range(11))


def blend(run: np.ndarray, tfidf: np.ndarray, w: float, space: str) -> np.ndarray:
    """(1 - w) * run + w * tfidf, of the probabilities or (``space="logit"``) of their logits."""
    if space == "prob":
        return (1 - w) * run + w * tfidf
    run, tfidf = (np.clip(p, 1e-6, 1 - 1e-6) for p in (run, tfidf))
    z = (1 - w) * np.log(run / (1 - run)) + w * np.log(tfidf / (1 - tfidf))
    return 1 / (1 + np.exp(-z))


def choose_weight(dev_gold: np.ndarray, run_dev: np.ndarray, tf_dev: np.ndarray, run_test: np.ndarray,
                  tf_test: np.ndarray, test_gold: np.ndarray, space: str = "logit") -> dict:
    """Every weight's dev and test micro F1 and test predictions (thresholds tuned on dev), and the
    weight chosen on dev. Weight 0 is the run alone."""
    from araft.tasks.claims.thresholds import decide, tune_thresholds

    rows, preds = [], {}
    for w in WEIGHTS:
        dev_p, test_p = blend(run_dev, tf_dev, w, space), blend(run_test, tf_test, w, space)
        cuts = tune_thresholds(dev_gold == 1, dev_p, LABELS, "label_f1")
        preds[w] = decide(test_p, LABELS, True, cuts).astype(np.int8)
        rows.append({"weight": w, "dev_micro_f1": micro_f1(dev_gold == 1, decide(dev_p, LABELS, True, cuts)),
                     "test_micro_f1": micro_f1(test_gold == 1, preds[w] == 1)})
    chosen = max(rows, key=lambda r: r["dev_micro_f1"])["weight"]  # max keeps the first: the smaller w
    return {"rows": rows, "chosen": chosen, "preds": preds}


def roc_aucs(gold: np.ndarray, scores: np.ndarray) -> list[float]:
    from sklearn.metrics import roc_auc_score

    return [float(roc_auc_score(gold[:, j], scores[:, j])) for j in range(len(LABELS))]


def top_precision(gold: np.ndarray, scores: np.ndarray) -> dict[int, float]:
    """One label's precision among the k sentences it ranks highest, for k = 20, 40, the number of
    positives (where precision equals recall) and 300."""
    order = np.argsort(-scores, kind="stable")
    return {k: float(gold[order[:k]].mean()) for k in (20, 40, int(gold.sum()), 300)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--run", type=Path, action="append", required=True, help="a claims or joint run (repeat)")
    ap.add_argument("--space", choices=("logit", "prob"), default="logit")
    ap.add_argument("--json", type=Path, help="also write the results here")
    args = ap.parse_args(argv)
    train, dev, test = load_split("train"), load_split("dev"), load_split("test")
    tfidf = fit_tfidf(train, dev)
    tf_dev, tf_test = tfidf.dev_probs, tfidf.probs(test[0])
    out = {}
    for run in args.run:
        run_dev = run_split(run, "dev", dev[2], "scores")
        run_test = run_split(run, "test", test[2], "scores")
        name = system_name(run, out)
        found = choose_weight(dev[1], run_dev, tf_dev, run_test, tf_test, test[1], args.space)
        aucs = {f"{who} {split}": roc_aucs(gold, p) for who, split, gold, p in (
            ("run", "dev", dev[1], run_dev), ("tfidf", "dev", dev[1], tf_dev),
            ("run", "test", test[1], run_test), ("tfidf", "test", test[1], tf_test))}
        tops = {who: top_precision(test[1][:, 1], p[:, 1])
                for who, p in (("run", run_test), ("tfidf", tf_test))}
        systems = {"run": found["preds"][0.0], f"blend w={found['chosen']}": found["preds"][found["chosen"]]}
        paired = compare(test[1], systems, "run", article_ids(test[2]))
        print(f"== {name}: ROC-AUC claim / obstacle: " + "; ".join(
            f"{k} {a[0]:.3f} / {a[1]:.3f}" for k, a in aucs.items()))
        print("obstacle precision among the k test sentences ranked highest: " + "; ".join(
            f"{who} " + ", ".join(f"{k}: {v:.2f}" for k, v in t.items()) for who, t in tops.items()))
        print("| TF-IDF weight | dev micro F1 | test micro F1 |\n|---|---|---|")
        for r in found["rows"]:
            print(f"| {r['weight']:.1f} | {r['dev_micro_f1']:.3f} | {r['test_micro_f1']:.3f} |")
        for sys_name, r in paired.items():
            d = r.get("minus_reference", {}).get("micro_f1")
            diff = f", minus the run {d['delta']:+.3f} [{d['low']:+.3f}, {d['high']:+.3f}]" if d else ""
            print(f"{sys_name}: test micro F1 {r['micro_f1']:.3f}, obstacle F1 {r['obstacle_f1']:.3f}{diff}")
        out[name] = {"roc_auc": aucs, "rows": found["rows"], "chosen": found["chosen"],
                     "obstacle_top_precision": tops, "test": paired}
    if args.json:
        args.json.write_text(json.dumps({"space": args.space, "runs": out}, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
