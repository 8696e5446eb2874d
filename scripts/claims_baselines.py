"""Baselines of task=claims with the embedded tiny model, one command:

    .venv/bin/python -m scripts.claims_baselines [--output-root DIR] [--threads 1] [override ...]

Trains models/arabert-tiny on CheckThat! 2024 Arabic check-worthiness (experiment=checkthat_tiny)
and on CheckThat! 2024 Arabic subjectivity (experiment=subjectivity_tiny), then prints the dev F1 of
the positive class (claim / SUBJ) of each, with its 95% bootstrap interval and the F1 of always
answering "positive" for scale. Extra arguments are Hydra overrides applied to both runs
(e.g. trainer.max_steps=20 for a smoke run). Needs ../shared/data (the sets are not redistributable).

The claim threshold is tuned on dev and then scored on dev, which flatters it; the F1 at 0.5 is
printed next to it.
"""
from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = (("checkthat_tiny", "claim"), ("subjectivity_tiny", "SUBJ"))


def always_positive_f1(n_pos: int, n: int) -> float:
    return 2 * n_pos / (n_pos + n) if n else 0.0


def f1_at(predictions: Path, gold_articles, label: str, threshold: float) -> float:
    """F1 of one label from the written predictions (with scores), at a fixed threshold."""
    from araft.corpus.jsonl import read_jsonl

    tp = fp = fn = 0
    for pred, gold in zip(read_jsonl(predictions), gold_articles):
        for ps, gs in zip(pred.sentences, gold.sentences):
            yes, truth = ps.scores[label] >= threshold, label in gs.labels
            tp += yes and truth
            fp += yes and not truth
            fn += truth and not yes
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0


def run_one(experiment: str, label: str, output_root: Path, overrides: list[str]) -> list[str]:
    from araft.config import compose
    from araft.run import run_training
    from araft.splits import load_splits

    cfg = compose([f"experiment={experiment}", f"paths.output_root={output_root}", *overrides],
                  root=str(ROOT))
    run_dir = output_root / experiment / time.strftime("%Y-%m-%d_%H-%M-%S")
    t0 = time.time()
    with contextlib.redirect_stdout(sys.stderr):  # the Trainer's progress logs; stdout is the summary
        metrics = run_training(cfg, run_dir)
    minutes = (time.time() - t0) / 60
    splits = load_splits(cfg.data)
    lines = [f"{cfg.data.name}: train {len(splits.train)}, dev {len(splits.dev)} sentences; "
             f"{cfg.trainer.epochs:g} epochs (max_steps {cfg.trainer.max_steps}), "
             f"{minutes:.1f} min; run {run_dir}"]
    for split, articles in splits.evaluation_sets().items():
        m = metrics["splits"][split]
        row = m["per_label"][label]
        lo, hi = row["f1_ci"]
        n_pos = sum(label in s.labels for a in articles for s in a.sentences)
        text = (f"  {split:<8} {label} F1 {row['f1']:.3f} [{lo:.3f}, {hi:.3f}]  "
                f"P {row['precision']:.3f} R {row['recall']:.3f}")
        if m["multi_label"]:
            predictions = run_dir / "predictions" / f"{split}.jsonl"
            text += (f"  (threshold {m['thresholds'][label]:.3f} tuned on dev; "
                     f"at 0.5: F1 {f1_at(predictions, articles, label, 0.5):.3f})")
        else:
            text += f"  accuracy {m['exact_match']:.3f}"
        text += (f"  | always-{label} F1 {always_positive_f1(n_pos, len(articles)):.3f} "
                 f"({n_pos}/{len(articles)} {label})")
        lines.append(text)
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output-root", type=Path, default=ROOT / "outputs" / "claims_baselines")
    parser.add_argument("--threads", type=int, default=0,
                        help="torch CPU threads (0: torch's default); 1 is faster on a busy machine")
    parser.add_argument("overrides", nargs="*", help="Hydra overrides for both runs")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    import torch

    if args.threads:
        torch.set_num_threads(args.threads)
    device = "cuda" if torch.cuda.is_available() else f"cpu ({torch.get_num_threads()} threads)"
    print(f"claims baselines: models/arabert-tiny on {device}; dev F1 of the positive class")
    for experiment, label in RUNS:
        for line in run_one(experiment, label, args.output_root, args.overrides):
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
