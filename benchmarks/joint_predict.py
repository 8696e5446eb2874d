"""Prediction time for both layers: the joint model vs the two separate models (NER + claims).

Same articles (the claims corpus's test split; its first 5 articles quick), same base, batch 32,
CPU. Each side predicts entities and sentence labels for every article:
- separate: ``NerPredictor.predict_articles`` then ``ClaimsPredictor.predict_articles`` (two
  encoders, each with its own preprocessing, as running the two models means);
- joint: ``JointPredictor.predict_articles`` (one forward pass per window gives both layers).
Speed does not depend on what the weights learned, so by default each model is the embedded
arabert-mini-news with seeded random heads, reading its input as the project's recipe does
(claims_obstacles_tiny and joint_claims_tiny: their sentence context); ``--joint-run``/
``--ner-model``/``--claims-model`` take trained ones. Both sides pay their one-time costs (first
forward, lazy imports) before the timer.
Target (issue 15): joint time <= 0.6x the separate models'.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from benchmarks import common
from benchmarks.ner_model import WARMUP_TEXT, random_head_model

MODULE = "benchmarks.joint_predict"
BATCH = 32
TEST = common.ROOT / "data" / "claims_obstacles" / "test.jsonl"
QUICK_ARTICLES = 5


def recipe_settings(experiment: str):
    """The settings a model of this experiment is saved with (its input shape: context, ...)."""
    from araft.config import compose
    from araft.modelio import model_settings

    return model_settings(compose([f"experiment={experiment}"], root=str(common.ROOT)))


def random_models(work: Path) -> dict[str, Path]:
    """NER, claims and joint models: the embedded base with seeded random heads, saved with the
    settings of the recipes (the joint one from the same two heads)."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoModelForTokenClassification, AutoTokenizer

    from araft.modelio import attach_settings
    from araft.tasks.joint.model import build_joint

    ner = random_head_model(work / "ner")
    torch.manual_seed(0)
    labels = ["claim", "obstacle"]
    claims = AutoModelForSequenceClassification.from_pretrained(
        common.TINY_MODEL, num_labels=2, id2label=dict(enumerate(labels)),
        label2id={n: i for i, n in enumerate(labels)}, problem_type="multi_label_classification")
    tok = AutoTokenizer.from_pretrained(common.TINY_MODEL)
    out = {"ner": ner, "claims": work / "claims", "joint": work / "joint"}
    joint = build_joint(AutoModelForTokenClassification.from_pretrained(ner), claims, labels)
    for name, model, recipe in (("claims", claims, "claims_obstacles_tiny"),
                                ("joint", joint, "joint_claims_tiny")):
        attach_settings(model.config, recipe_settings(recipe))
        model.save_pretrained(out[name])
        tok.save_pretrained(out[name])
    return out


def _articles(args):
    from araft.corpus.jsonl import read_jsonl

    return read_jsonl(args.data)


def _load(path: str):
    from araft.inference import Predictor

    p = Predictor.from_pretrained(path, batch_size=BATCH, device="cpu")
    p.predict(WARMUP_TEXT)  # one-time costs out of the timer
    return p


def side_separate(args) -> dict:
    ner, claims = _load(args.ner_model), _load(args.claims_model)
    articles = _articles(args)
    with common.Meter() as m:
        ents = ner.predict_articles(articles)
        sents = claims.predict_articles(articles)
    return m.result(n_entities=sum(len(a.entities) for a in ents),
                    n_sentences=sum(len(a.sentences) for a in sents))


def side_joint(args) -> dict:
    joint = _load(args.joint_model)
    articles = _articles(args)
    with common.Meter() as m:
        out = joint.predict_articles(articles)
    return m.result(n_entities=sum(len(a.entities) for a in out),
                    n_sentences=sum(len(a.sentences) for a in out))


def parent(args) -> dict:
    n = common.repeats(args)
    with tempfile.TemporaryDirectory(prefix="araft-bench-joint-") as tmp:
        data = TEST
        if args.quick:
            data = Path(tmp) / "test.jsonl"
            data.write_text("".join(TEST.read_text(encoding="utf-8").splitlines(True)[:QUICK_ARTICLES]),
                            encoding="utf-8")
        models = random_models(Path(tmp) / "models")
        if args.joint_run:
            models["joint"] = Path(args.joint_run) / "model"
        models["ner"] = Path(args.ner_model or models["ner"])
        models["claims"] = Path(args.claims_model or models["claims"])
        what = "trained models" if args.joint_run else "arabert-mini-news with seeded random heads"
        common.header("joint prediction: one joint model vs NER + claims models",
                      f"{what}; claims corpus test ({'first %d articles' % QUICK_ARTICLES if args.quick else 'all'}); "
                      f"batch {BATCH}; CPU; best of {n}")
        argv = ["--data", str(data), "--joint-model", str(models["joint"]),
                "--ner-model", str(models["ner"]), "--claims-model", str(models["claims"])]
        res = common.measure_sides(MODULE, ["separate", "joint"], argv, n)
    for r in res.values():
        r["sentences_per_s"] = r["n_sentences"] / r["wall_s"]
    common.table(res, "sentences_per_s", "sentences/s")
    print("   " + "; ".join(f"{s}: {r['n_sentences']} sentences, {r['n_entities']} entities"
                           for s, r in res.items()))
    ratio = res["joint"]["wall_s"] / res["separate"]["wall_s"]
    met = common.ratio_line("joint_predict", ratio, "joint/separate wall time", 0.6, at_least=False)
    return {"benchmark": "joint_predict", "quick": args.quick, "repeats": n, "models": what,
            "results": res, "ratio": ratio, "target_met": met, "load_average": common.load_average()}


def main(argv: list[str] | None = None) -> int:
    p = common.parser(__doc__.split("\n")[0])
    p.add_argument("--joint-run", default=None, help="a trained task=joint run directory")
    p.add_argument("--ner-model", default=None, help="a trained NER model folder or run")
    p.add_argument("--claims-model", default=None, help="a trained claims model folder or run")
    p.add_argument("--data", type=Path, default=None, help=argparse.SUPPRESS)
    p.add_argument("--joint-model", default=None, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    return common.run_main(args, {"separate": side_separate, "joint": side_joint}, parent)


if __name__ == "__main__":
    sys.exit(main())
