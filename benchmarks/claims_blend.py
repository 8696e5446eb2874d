"""Would a trained claims or joint model gain from TF-IDF beside it? Its sentence probabilities
blended with TF-IDF + logistic regression's, the weight chosen on dev, exactly as task.tfidf_blend
does after training (araft.tasks.claims.blend), here on runs trained without it.

    .venv/bin/python -m benchmarks.claims_blend --run RUN [--run RUN ...] [--tfidf-context] [--json out.json]

For each run, the encoder's dev and test scores alone: its predictions/*.jsonl, or, for a run that
blends already, its model predicting again with the blend off (`araft predict --no-tfidf`). Then
araft's TF-IDF model fit on train (C on dev; --tfidf-context: with the article-context stage of
task.tfidf_context), for each weight w in 0, 0.1, ..., 1 on TF-IDF's logits the per-label thresholds
tuned on dev (label_f1), and the w with the best dev micro F1 kept (the smaller on a tie). Printed:
ROC-AUC per label of the run and of TF-IDF on dev and test, the obstacle precision among the k test
sentences each ranks highest, the dev and test micro F1 at each w, and the chosen blend against the
encoder alone and against the run as it predicted, paired over whole articles; with several runs
(one recipe's seeds), the blend's mean against theirs, bootstrapped over articles and seeds.

Why: fine-tuned, the embedded encoder ranks obstacle sentences below TF-IDF's n-grams; where the two
rankings hold different signal, a blend beats both. Results: docs/benchmarks.md, "A TF-IDF blend".
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from araft.tasks.claims.blend import blend, choose_blend
from araft.tasks.claims.thresholds import decide, micro_f1
from benchmarks.claims_quality import (LABELS, article_ids, compare, fit_tfidf, load_split,
                                       run_split, system_name)


def blend_table(dev_gold: np.ndarray, run_dev: np.ndarray, tf_dev: np.ndarray, run_test: np.ndarray,
                tf_test: np.ndarray, test_gold: np.ndarray) -> dict:
    """araft's choice on dev, and every weight's dev and test micro F1 and test predictions (at the
    thresholds tuned on dev at that weight). Weight 0 is the run alone."""
    choice = choose_blend(dev_gold, run_dev, tf_dev, LABELS, "label_f1")
    rows, preds = [], {}
    for w, (cuts, dev_f1) in choice.tried.items():
        preds[w] = decide(blend(run_test, tf_test, w), LABELS, True, cuts).astype(np.int8)
        rows.append({"weight": w, "dev_micro_f1": dev_f1,
                     "test_micro_f1": micro_f1(test_gold == 1, preds[w] == 1)})
    return {"rows": rows, "chosen": choice.weight, "preds": preds}


def roc_aucs(gold: np.ndarray, scores: np.ndarray) -> list[float]:
    from sklearn.metrics import roc_auc_score

    return [float(roc_auc_score(gold[:, j], scores[:, j])) for j in range(len(LABELS))]


def top_precision(gold: np.ndarray, scores: np.ndarray) -> dict[int, float]:
    """One label's precision among the k sentences it ranks highest, for k = 20, 40, the number of
    positives (where precision equals recall) and 300."""
    order = np.argsort(-scores, kind="stable")
    return {k: float(gold[order[:k]].mean()) for k in (20, 40, int(gold.sum()), 300)}


def encoder_scores(run: Path, split: str, keys: list[str]) -> np.ndarray:
    """The run's encoder scores of one split alone: as it saved them, or predicted again without
    the TF-IDF blend when its model has one."""
    path = run / "model" / "config.json"  # a run without a model folder: its saved scores
    config = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    if not (config.get("araft") or {}).get("tfidf_weight"):
        return run_split(run, split, keys, "scores")
    from araft.corpus.jsonl import read_jsonl
    from araft.inference import Predictor
    from benchmarks.claims_quality import DATA

    predictor = Predictor.from_pretrained(run / "model", tfidf=False)
    got = {f"{a.id}:{i}": [float(s.scores[lab]) for lab in LABELS]
           for a in predictor.predict_articles(read_jsonl(DATA / f"{split}.jsonl"))
           for i, s in enumerate(a.sentences)}
    return np.array([got[k] for k in keys])


def over_seeds(gold: np.ndarray, saved: list[np.ndarray], blended: list[np.ndarray],
               articles: list[str]) -> dict:
    """The blends' mean test micro F1 minus the runs' as they predicted: two-level bootstrap over
    articles and runs (araft compare --by-seed --unit article)."""
    from araft.metrics.seed_bootstrap import seed_group_deltas
    from benchmarks.claims_quality import unit_counts

    groups = [[unit_counts(gold, p, articles) for p in preds] for preds in (saved, blended)]
    return seed_group_deltas(groups)[1]["micro_f1"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--run", type=Path, action="append", required=True, help="a claims or joint run (repeat)")
    ap.add_argument("--json", type=Path, help="also write the results here")
    ap.add_argument("--tfidf-context", action="store_true",
                    help="TF-IDF with the article-context stage (as task.tfidf_context)")
    args = ap.parse_args(argv)
    train, dev, test = load_split("train"), load_split("dev"), load_split("test")
    tfidf = fit_tfidf(train, dev, args.tfidf_context)
    tf_dev = tfidf.dev_probs
    tf_test = tfidf.probs(test[0], article_ids(test[2]) if args.tfidf_context else None)
    out, saved, blended = {}, [], []
    for run in args.run:
        run_dev, run_test = encoder_scores(run, "dev", dev[2]), encoder_scores(run, "test", test[2])
        name = system_name(run, out)
        found = blend_table(dev[1], run_dev, tf_dev, run_test, tf_test, test[1])
        aucs = {f"{who} {split}": roc_aucs(gold, p) for who, split, gold, p in (
            ("run", "dev", dev[1], run_dev), ("tfidf", "dev", dev[1], tf_dev),
            ("run", "test", test[1], run_test), ("tfidf", "test", test[1], tf_test))}
        tops = {who: top_precision(test[1][:, 1], p[:, 1])
                for who, p in (("run", run_test), ("tfidf", tf_test))}
        saved.append(run_split(run, "test", test[2], "labels"))
        blended.append(found["preds"][found["chosen"]])
        systems = {"run": found["preds"][0.0], "run as it predicted": saved[-1],
                   f"blend w={found['chosen']}": blended[-1]}
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
    if len(args.run) > 1:
        d = over_seeds(test[1], saved, blended, article_ids(test[2]))
        print(f"over the {len(args.run)} runs: the blends' mean test micro F1 minus the runs' as they "
              f"predicted {d['delta']:+.3f} [{d['low']:+.3f}, {d['high']:+.3f}] (articles and seeds)")
        out["over_runs"] = d
    if args.json:
        args.json.write_text(json.dumps({"runs": out}, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
