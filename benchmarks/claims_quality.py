"""Claim/obstacle sentence labels on the corpus's test split: baselines and araft's models, one command.

    .venv/bin/python -m benchmarks.claims_quality [--run RUN_DIR ...] [--train [--recipes arabertv02]]
                                                  [--objective micro_f1] [--unit article] [--json out.json]
    .venv/bin/python -m benchmarks.claims_quality --tfidf-curve    # TF-IDF as the corpus grew

Systems, all scored on data/claims_obstacles/test.jsonl (never used to fit or choose anything):
- label everything: both labels on every sentence (the floor any model must clear);
- TF-IDF + logistic regression (scikit-learn): word 1-2-grams and character 2-5-grams, one classifier
  per label with balanced class weights, C and the thresholds chosen on dev (the thresholds by araft's
  own tuning, `--objective` as task.threshold_objective); with --tfidf-context also the same model
  with the article-context stage of task.tfidf_context (araft.tasks.claims.tfidf_context);
- every araft run given with --run (its predictions/test.jsonl): the separate claims model and the
  joint model; --train first trains both, `experiment=claims_obstacles_tiny` (the reference) and
  `experiment=joint_claims_tiny`, and adds them (--recipes arabertv02: the same two recipes on
  aubmindlab/bert-base-arabertv02, `claims_obstacles_arabertv02` and `joint_claims_arabertv02`, which
  need the Hub and are meant for a GPU).
Printed: micro F1 and per-label F1 with 95% bootstrap intervals, and each system minus the first araft
run, paired on the same sentences. The bootstrap resamples sentences, or with --unit article whole
articles (labels cluster by article: the honest interval). Results: docs/benchmarks.md, "Claims baselines".
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from araft.tasks.claims.thresholds import OBJECTIVES
from benchmarks.common import ROOT

if TYPE_CHECKING:
    from araft.metrics.bootstrap import EntityCounts
    from araft.tasks.claims.tfidf import TfidfModel

DATA = ROOT / "data" / "claims_obstacles"
LABELS = ("claim", "obstacle")


def load_split(name: str) -> tuple[list[str], np.ndarray, list[str]]:
    """Sentence texts, gold [n, 2] binary labels and sentence keys (article id:index) of one split."""
    from araft.corpus.jsonl import read_jsonl

    texts, gold, keys = [], [], []
    for art in read_jsonl(DATA / f"{name}.jsonl"):
        for i, s in enumerate(art.sentences):
            texts.append(art.text[s.start:s.end])
            gold.append([int(lab in s.labels) for lab in LABELS])
            keys.append(f"{art.id}:{i}")
    return texts, np.array(gold, dtype=np.int8), keys


def label_everything(n: int) -> np.ndarray:
    return np.ones((n, len(LABELS)), dtype=np.int8)


def tfidf_features(train_texts: list[str], *others: list[str]) -> list:
    """araft's TF-IDF features (araft.tasks.claims.tfidf) fit on ``train_texts``: their matrix,
    then each of ``others`` transformed."""
    from araft.tasks.claims.tfidf import fit_features, stacked

    vecs, x_train = fit_features(train_texts)
    return [x_train, *(stacked(vecs, texts) for texts in others)]


def fit_tfidf(train, dev, context: bool = False) -> TfidfModel:
    """araft's TF-IDF model (the one task.tfidf_blend fits in a run) on train (texts, gold), each
    label's C chosen on dev: .probs(texts), .dev_probs, .chosen. ``context``: with the
    article-context stage (task.tfidf_context); its probs then need ``article_ids(keys)``."""
    from araft.tasks.claims.tfidf import fit_tfidf as fit

    groups = (article_ids(train[2]), article_ids(dev[2])) if context else None
    return fit(train[0], train[1], dev[0], dev[1], LABELS, groups=groups)


def tfidf_scored(train, dev, test, objective: str = "label_f1",
                 context: bool = False) -> tuple[np.ndarray, np.ndarray, dict]:
    """``fit_tfidf``, then the thresholds on dev as araft's claims task tunes them (``objective``:
    task.threshold_objective); score test. Returns test probabilities, predictions and choices."""
    from araft.tasks.claims.thresholds import decide, tune_thresholds

    model = fit_tfidf(train, dev, context)
    cuts = tune_thresholds(dev[1] == 1, model.dev_probs, LABELS, objective)
    chosen = {label: {**model.chosen[label], "threshold": round(cuts[label], 3)} for label in LABELS}
    probs = model.probs(test[0], article_ids(test[2]) if context else None)
    return probs, decide(probs, LABELS, True, cuts).astype(np.int8), chosen


def tfidf_logreg(train, dev, test, objective: str = "label_f1",
                 context: bool = False) -> tuple[np.ndarray, dict]:
    """``tfidf_scored`` without the probabilities: test predictions and choices."""
    return tfidf_scored(train, dev, test, objective, context)[1:]


def run_split(run_dir: Path, split: str, keys: list[str], field: str) -> np.ndarray:
    """A run's predictions of one split, aligned to the gold sentence keys: its labels (0/1) or,
    ``field="scores"``, its per-label probabilities."""
    return run_fields(run_dir, split, keys, (field,))[0]


def run_fields(run_dir: Path, split: str, keys: list[str], fields: tuple[str, ...]) -> list[np.ndarray]:
    """``run_split`` of each of ``fields``, from one read of the predictions file."""
    from araft.corpus.jsonl import read_jsonl

    path = run_dir / "predictions" / f"{split}.jsonl"
    if not path.is_file():
        raise SystemExit(f"{path} not found: is {run_dir} a claims or joint run with a {split} split?")
    got = {}
    for art in read_jsonl(path):
        for i, s in enumerate(art.sentences or []):
            if "scores" in fields and (s.scores is None or set(LABELS) - set(s.scores)):
                raise SystemExit(f"{path}: sentence {art.id}:{i} has no score for every label")
            got[f"{art.id}:{i}"] = s
    missing = [k for k in keys if k not in got]
    if missing:
        raise SystemExit(f"{path}: no prediction for {len(missing)} {split} sentences (first {missing[0]})")
    return [np.array([[float(got[k].scores[lab]) for lab in LABELS] for k in keys], dtype=np.float64)
            if field == "scores" else
            np.array([[int(lab in got[k].labels) for lab in LABELS] for k in keys], dtype=np.int8)
            for field in fields]


def run_predictions(run_dir: Path, test_keys: list[str], objective: str | None = None,
                    dev: tuple | None = None) -> np.ndarray:
    """A run's test labels as it predicted them, or, with ``objective``, at thresholds re-tuned
    for that objective on the run's own dev scores (``dev``: the dev split from load_split)."""
    if objective is None:
        return run_split(run_dir, "test", test_keys, "labels")
    from araft.tasks.claims.thresholds import decide, tune_thresholds

    cuts = tune_thresholds(dev[1] == 1, run_split(run_dir, "dev", dev[2], "scores"), LABELS, objective)
    return decide(run_split(run_dir, "test", test_keys, "scores"), LABELS, True, cuts).astype(np.int8)


# --train's experiments per --recipes, the separate claims model first (the reference)
RECIPES = {"tiny": ("claims_obstacles_tiny", "joint_claims_tiny"),
           "arabertv02": ("claims_obstacles_arabertv02", "joint_claims_arabertv02")}


def system_name(run: Path, taken: dict) -> str:
    """'araft <experiment>' from the run's metrics.json, its folder name when two runs share one."""
    try:
        experiment = json.loads((run / "metrics.json").read_text(encoding="utf-8"))["experiment"]
    except (OSError, ValueError, KeyError):
        experiment = run.name
    name = f"araft {experiment}"
    return name if name not in taken else f"{name} ({run})"


def train_model(out_root: Path, experiment: str) -> Path:
    """`araft train experiment=<experiment>` in a subprocess; returns its run directory."""
    run_dir = out_root / experiment
    subprocess.run([sys.executable, "-m", "araft.cli", "train", f"experiment={experiment}",
                    f"hydra.run.dir={run_dir}"], check=True, cwd=ROOT)
    return run_dir


def unit_counts(gold: np.ndarray, pred: np.ndarray, articles: list[str] | None) -> EntityCounts:
    """Per-sentence counts, summed per article when ``articles`` (one id per sentence) is given:
    the bootstrap then resamples whole articles."""
    from araft.metrics.bootstrap import group_counts, multilabel_counts

    counts = multilabel_counts(gold, pred, LABELS)
    return counts if articles is None else group_counts(counts, articles)


def article_ids(keys: list[str]) -> list[str]:
    """The article of each sentence key ("article id:index")."""
    return [k.rsplit(":", 1)[0] for k in keys]


def article_rounds(articles: list[str]) -> list[int]:
    """The selection round of each article id (data/claims_obstacles/README.md, "Selection")."""
    from scripts.claims_corpus.stories import selection_round, selection_rounds

    rounds = selection_rounds()
    return [selection_round(rounds, a) for a in articles]


def compare(gold: np.ndarray, systems: dict[str, np.ndarray], reference: str | None,
            articles: list[str] | None = None) -> dict:
    """Scores with 95% intervals per system, and its paired difference to ``reference``; the
    bootstrap resamples sentences, or whole articles when ``articles`` is given (unit_counts)."""
    from araft.metrics.bootstrap import bootstrap_ci, paired_bootstrap, scores_from_counts

    # each system's counts once: its point scores (the same on either unit), its interval, its pairing
    counts = {name: unit_counts(gold, pred, articles) for name, pred in systems.items()}
    out = {}
    for name, c in counts.items():
        point, ci = scores_from_counts(c), bootstrap_ci(c)
        row = {"micro_f1": point["micro_f1"], "micro_f1_ci": list(ci["micro_f1"]),
               **{f"{lab}_f1": point["per_type"][lab]["f1"] for lab in LABELS},
               **{f"{lab}_f1_ci": list(ci["per_type"][lab]) for lab in LABELS}}
        if reference and name != reference:
            paired = paired_bootstrap(c, counts[reference])
            row["minus_reference"] = {"micro_f1": paired["micro_f1"],
                                      **{lab: paired["per_type"][lab] for lab in LABELS}}
        out[name] = row
    return out


def tfidf_curve(train, dev, test) -> list[dict]:
    """TF-IDF trained on the corpus's train articles of rounds 1-3, 1-5 and all (the corpus as it
    grew), chosen on dev, scored on test: whether more of this data helps a lexical model."""
    rounds, rows = article_rounds(article_ids(train[2])), []
    for last in (3, 5, 6):
        keep = [i for i, r in enumerate(rounds) if r <= last]
        part = ([train[0][i] for i in keep], train[1][keep], [train[2][i] for i in keep])
        rep = compare(test[1], {"tfidf": tfidf_logreg(part, dev, test)[0]}, None)["tfidf"]
        rows.append({"rounds": f"1-{last}", "sentences": len(keep), "obstacles": int(part[1][:, 1].sum()),
                     **{k: rep[k] for k in ("micro_f1", "micro_f1_ci", "claim_f1", "obstacle_f1")}})
    return rows


def _ci(ci) -> str:
    return f"[{ci[0]:.3f}, {ci[1]:.3f}]"


def table(results: dict, reference: str | None) -> str:
    lines = ["| system | micro F1 | claim F1 | obstacle F1 | micro F1 minus " + (reference or "-") + " |",
             "|---|---|---|---|---|"]
    for name, r in results.items():
        d = r.get("minus_reference", {}).get("micro_f1")
        diff = f"{d['delta']:+.3f} [{d['low']:+.3f}, {d['high']:+.3f}]" if d else ""
        lines.append(f"| {name} | {r['micro_f1']:.3f} {_ci(r['micro_f1_ci'])} | {r['claim_f1']:.3f} "
                     f"| {r['obstacle_f1']:.3f} {_ci(r['obstacle_f1_ci'])} | {diff} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--run", type=Path, action="append", default=[], help="an araft run directory (repeat)")
    ap.add_argument("--train", action="store_true",
                    help="train the separate claims and the joint recipe first (--recipes)")
    ap.add_argument("--recipes", choices=sorted(RECIPES), default="tiny",
                    help="which recipes --train trains: the embedded encoder's (tiny) or "
                         "bert-base-arabertv02's (needs the Hub; meant for a GPU)")
    ap.add_argument("--out-root", type=Path, default=ROOT / "outputs" / "claims_quality")
    ap.add_argument("--json", type=Path, help="also write the results here")
    ap.add_argument("--objective", choices=OBJECTIVES, default=None,
                    help="what every system's dev thresholds maximise (as task.threshold_objective): "
                         "TF-IDF's, and the araft runs' re-tuned on their dev predictions' scores; "
                         "default: TF-IDF label_f1, the runs as they predicted")
    ap.add_argument("--unit", choices=("sentence", "article"), default="sentence",
                    help="what the bootstrap resamples: sentences, or whole articles (labels cluster "
                         "by article)")
    ap.add_argument("--tfidf-context", action="store_true",
                    help="also TF-IDF with the article-context stage of task.tfidf_context")
    ap.add_argument("--tfidf-curve", action="store_true",
                    help="only TF-IDF, trained on the train articles of rounds 1-3, 1-5 and all")
    args = ap.parse_args(argv)
    train, dev, test = load_split("train"), load_split("dev"), load_split("test")
    if args.tfidf_curve:
        print("| train rounds | sentences | obstacles | micro F1 | claim F1 | obstacle F1 |\n|---|---|---|---|---|---|")
        for r in tfidf_curve(train, dev, test):
            print(f"| {r['rounds']} | {r['sentences']} | {r['obstacles']} | {r['micro_f1']:.3f} "
                  f"{_ci(r['micro_f1_ci'])} | {r['claim_f1']:.3f} | {r['obstacle_f1']:.3f} |")
        return 0
    trained = [train_model(args.out_root, e) for e in RECIPES[args.recipes]] if args.train else []
    runs = trained + args.run
    systems = {"label everything": label_everything(len(test[0]))}
    systems["TF-IDF + logistic regression"], chosen = tfidf_logreg(train, dev, test, args.objective or "label_f1")
    if args.tfidf_context:
        systems["TF-IDF + logistic regression, article context"], _ = tfidf_logreg(
            train, dev, test, args.objective or "label_f1", context=True)
    names = []
    for run in runs:
        names.append(system_name(run, systems))
        systems[names[-1]] = run_predictions(run, test[2], args.objective, dev)
    reference = names[0] if runs else None
    articles = article_ids(test[2]) if args.unit == "article" else None
    results = compare(test[1], systems, reference, articles)
    print(f"test: {len(test[0])} sentences, claim {int(test[1][:, 0].sum())}, obstacle {int(test[1][:, 1].sum())}; "
          f"TF-IDF choices on dev: {json.dumps(chosen)}")
    units = f"{len(set(articles))} articles" if articles else f"{len(test[0])} sentences"
    print(f"intervals: 95% bootstrap over {args.unit}s ({units}), 1000 resamples")
    print(table(results, reference))
    if args.json:
        args.json.write_text(json.dumps({"tfidf_choices": chosen, "unit": args.unit, "results": results},
                                        indent=1) + "\n",
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
