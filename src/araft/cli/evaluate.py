"""`araft evaluate MODEL_OR_RUN --data FILE [--format F] [--out DIR] [--no-tfidf]`."""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

if TYPE_CHECKING:
    from araft.corpus.article import Article


def evaluate_model(model: str, data: str, *, format: str | None = None, out: str | None = None,
                   label_map: str | None = None, batch_size: int = 32, n_resamples: int = 1000,
                   seed: int = 0, tfidf: bool = True) -> dict[str, Any]:
    """Score a saved model (run dir, model folder or Hub id) on a gold file; returns metrics.
    ``tfidf=False``: a model with a TF-IDF blend scored with its encoder alone (``--no-tfidf``)."""
    from araft.corpus.formats import read_articles
    from araft.corpus.jsonl import write_jsonl
    from araft.corpus.tags import parse_label_map
    from araft.evaluation import evaluate_task, with_gold
    from araft.cli.predict import load_predictor
    from araft.rundir import write_json

    options = {"label_map": parse_label_map(label_map)} if label_map else {}
    articles = read_articles(data, format, **options)
    predictor = load_predictor(model, batch_size=batch_size, tfidf=tfidf)
    require_gold(predictor.settings.task, articles, data)
    metrics, predicted = evaluate_task(predictor, articles, n_resamples=n_resamples, seed=seed)
    metrics["file"] = str(data)
    metrics["model"] = str(model)
    metrics["task"] = predictor.settings.task  # the headline reads each layer's scores by task
    blend = {} if tfidf else {"tfidf_blend": "off"}  # the report must not show the saved blend as applied
    metrics.update(blend)
    if out is not None:
        out_dir = Path(out)
        (out_dir / "predictions").mkdir(parents=True, exist_ok=True)
        write_json(out_dir / "metrics.json", {"task": predictor.settings.task, "model": str(model),
                                              **blend, "splits": {"eval": metrics}})
        write_jsonl(with_gold(predicted, articles), out_dir / "predictions" / "eval.jsonl",
                    surface=True)
        from araft.reporting import write_report

        write_report(out_dir)
    return metrics


def require_gold(task: str, articles: Sequence[Article], data: str) -> None:
    """Refuse a file without the layer the model predicts (a claims model on CoNLL NER data, say):
    no model can score on it, and an evaluation that ends in exit 0 with no score, or F1 0.000,
    hides that the wrong file was given."""
    from araft.errors import DataError
    from araft.tasks.registry import task_named

    found = task_named(task)
    if found.gold_count(articles):
        return
    what = " and ".join(layer.words.missing for layer in found.layers)
    raise DataError(f"{what}, so a {task} model cannot be scored on it (F1 is not defined "
                    "without gold)", path=str(data))


def _run(args: argparse.Namespace) -> int:
    from araft.evaluation import headline

    metrics = evaluate_model(args.model, args.data, format=args.format, out=args.out,
                             label_map=args.label_map, batch_size=args.batch_size,
                             n_resamples=args.bootstrap, seed=args.seed, tfidf=args.tfidf)
    print(headline({"splits": {"eval": metrics}}, task=metrics["task"]))
    if args.out:
        print(f"metrics, predictions and report written to {args.out}")
    return 0


def register(sub) -> None:
    from araft.cli.predict import add_tfidf_switch

    p = sub.add_parser("evaluate", help="score a trained model on an annotated file")
    p.add_argument("model", help="run directory, model folder, or Hub id")
    p.add_argument("--data", required=True, help="annotated file (jsonl, conll, doccano, ...)")
    p.add_argument("--format", default=None, help="input format (detected when omitted)")
    p.add_argument("--label-map", default=None, help="e.g. PER=PERS,MIS=MISC")
    p.add_argument("--out", default=None, help="directory for metrics.json and predictions")
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--bootstrap", type=int, default=1000, help="bootstrap resamples for the CIs")
    p.add_argument("--seed", type=int, default=0)
    add_tfidf_switch(p)
    p.set_defaults(func=_run)
