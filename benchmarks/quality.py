"""Benchmark 5, a quality baseline: a CRF with word-shape and affix features vs the embedded model.

Both are trained on ANERcorp train and scored on the same dev split (quick: the first 600 train and
150 dev sentences): entity-level, strict, micro F1 over IOB2 words (predicted I- tags that start an
entity are repaired to B- on both sides, as araft does). The CRF (sklearn-crfsuite, L-BFGS,
c1=c2=0.1) sees the word, its prefixes and suffixes (1-3 characters: Arabic clitics live there), its
shape, and the same for its neighbours (+-2). The embedded model's F1 comes from a run directory's
metrics.json (``--run``), or from a training run made here: brief in ``--quick`` (not a quality
figure), in full the recipe of ``make run`` (experiment=anercorp_tiny: 5 epochs, batch 32, lr 5e-4),
scoring the last epoch.

``--recipe`` first fine-tunes the same checkpoint with araft and with the transformers examples'
run_ner.py recipe, same budget, per seed (benchmarks/recipe_compare.py, benchmarks/reference_recipe.py):
dev F1 of both on the same gold, the paired interval of the difference and the time to the best
epoch; the first seed's araft run then gives the embedded model's figure above.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from benchmarks import common, recipe_compare
from benchmarks.crf import gold, sentence_features, strict_f1, train_crf
from benchmarks.data_path import QUICK_SENTENCES, subset

MODULE = "benchmarks.quality"
QUICK_DEV = QUICK_SENTENCES // 4


def side_crf(args) -> dict:
    train_words, train_tags = gold(args.train)
    dev_words, dev_tags = gold(args.dev)
    with common.Meter() as m:
        crf = train_crf(train_words, train_tags, args.iterations)
        pred = crf.predict([sentence_features(ws) for ws in dev_words])
    scores = strict_f1(dev_tags, pred)
    from araft.metrics import ner_report  # the same words through araft's scorer, as a check

    from araft.corpus.tags import repair_iob2

    scores["araft_micro_f1"] = ner_report(dev_tags, [repair_iob2(p) for p in pred],
                                          n_resamples=10)["micro_f1"]
    return m.result(**scores, dev_pred=[list(t) for t in pred],
                    what=f"CRF, {len(train_words)} train sentences, {args.iterations} L-BFGS iterations")


def encoder_minus_crf(run: Path, dev: Path, crf_pred: list[list[str]]) -> dict | None:
    """The run's dev predictions minus the CRF's on the same sentences: paired bootstrap of micro F1
    (araft.metrics.bootstrap, as `araft compare`); None when the run kept no dev predictions."""
    from araft.corpus.tags import repair_iob2
    from araft.metrics.bootstrap import entity_counts, paired_bootstrap

    path = run / "predictions" / "dev.jsonl"
    if not path.is_file():
        return None
    words, ref = gold(dev)
    pred_words, enc = gold(path)  # the predicted entities, as word tags
    if pred_words != words:
        raise AssertionError(f"{path}: its sentences are not those of {dev}")
    crf = [repair_iob2(t) for t in crf_pred]
    types = sorted({t[2:] for seqs in (ref, enc, crf) for seq in seqs for t in seq if t != "O"})
    d = paired_bootstrap(entity_counts(ref, enc, types), entity_counts(ref, crf, types))["micro_f1"]
    return {**d, "sentences": len(ref)}


def side_tiny(args) -> dict:
    if args.run is not None:
        metrics = json.loads((Path(args.run) / "metrics.json").read_text())
        dev = metrics["splits"]["dev"]
        r = {"wall_s": float("nan"), "cpu_s": float("nan"), "rss_start_mb": float("nan"),
             "peak_rss_mb": float("nan")}
        return {**r, "micro_f1": dev["micro_f1"], "macro_f1": dev.get("macro_f1"),
                "what": f"embedded model from {args.run}"}
    from araft.config import compose
    from araft.run import run_training

    over = [f"paths.output_root={args.workdir / 'outputs'}", f"paths.cache_dir={args.workdir / 'cache'}",
            "experiment=anercorp_tiny", "tracking=none", "~data.extra_eval",
            f"data.train={args.train}", f"data.dev={args.dev}", "trainer.save_strategy=no",
            "trainer.eval_strategy=no"]
    if args.quick:
        over += ["trainer.max_steps=10", "trainer.batch_size=8", "trainer.lr=1e-3",
                 "trainer.bootstrap=50"]
    over += list(args.set or [])
    cfg = compose(over, root=str(common.ROOT))
    with common.Meter() as m:
        metrics = run_training(cfg, args.keep_run or args.workdir / "run")
    dev = metrics["splits"]["dev"]
    recipe = ("make run recipe + " + " ".join(args.set) if args.set
              else "make run recipe, last epoch")
    what = ("embedded model, 10 steps (quick: a smoke figure, not its quality)" if args.quick else
            f"embedded model, {recipe} ({cfg.trainer.epochs:g} epochs, batch "
            f"{cfg.trainer.batch_size}, lr {cfg.trainer.lr:g})")
    return m.result(micro_f1=dev["micro_f1"], macro_f1=dev.get("macro_f1"), what=what)


def parent(args) -> dict:
    with tempfile.TemporaryDirectory(prefix="araft-bench-quality-") as tmp:
        train, dev = common.ANER_TRAIN, common.ANER_DEV
        if args.quick:
            train = subset(train, Path(tmp) / "train.conll", QUICK_SENTENCES)
            dev = subset(dev, Path(tmp) / "dev.conll", QUICK_DEV)
        recipe = None
        if args.recipe:
            recipe = recipe_compare.section(args, train, dev, args.recipe_out or Path(tmp) / "recipe")
            if args.run is None:  # the first seed's araft run is the make run job: not trained twice
                args.run = Path(recipe["rows"][0]["araft_run"])
        common.header("quality: CRF baseline vs the embedded model (make run's), ANERcorp dev (strict entity F1)",
                      f"train: {'first %d sentences' % QUICK_SENTENCES if args.quick else 'all'}; "
                      f"dev: {'first %d sentences' % QUICK_DEV if args.quick else 'all'}")
        argv = ["--workdir", tmp, "--train", str(train), "--dev", str(dev),
                "--iterations", str(args.iterations)]
        if args.run is not None:
            argv += ["--run", str(args.run)]
        if args.quick:
            argv.append("--quick")
        if args.keep_run is not None:
            argv += ["--keep-run", str(args.keep_run)]
        for item in args.set or []:
            argv += ["--set", item]
        res = {s: common.spawn(MODULE, s, argv) for s in ("crf", "tiny")}
        run = Path(args.run) if args.run is not None else (args.keep_run or Path(tmp) / "run")
        paired = encoder_minus_crf(run, dev, res["crf"].pop("dev_pred"))
    for side, r in res.items():
        print(f"   {side:<6} micro F1 {r['micro_f1']:.3f}  macro F1 {r['macro_f1']:.3f}  "
              f"train+predict {r['wall_s']:.1f} s  peak RSS {r['peak_rss_mb']:.0f} MB  ({r['what']})")
    print(f"   CRF scored by araft's scorer too: micro F1 {res['crf']['araft_micro_f1']:.3f}")
    if paired is not None:
        print(f"   tiny - CRF on the same {paired['sentences']} dev sentences (paired bootstrap): "
              f"{paired['delta']:+.3f} [{paired['low']:+.3f}, {paired['high']:+.3f}], p = {paired['p_value']:.3f}")
    ratio = res["tiny"]["micro_f1"] / max(res["crf"]["micro_f1"], 1e-9)
    print(f"{common.RATIO_TAG} quality: tiny/CRF entity micro F1 = {ratio:.2f}x "
          f"(tiny {res['tiny']['micro_f1']:.3f}, CRF {res['crf']['micro_f1']:.3f}; no target)")
    return {"benchmark": "quality", "quick": args.quick, "results": res, "ratio": ratio, "paired": paired,
            "recipe": recipe, "load_average": common.load_average()}


def main(argv: list[str] | None = None) -> int:
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--run", type=Path, default=None,
                   help="a run directory whose metrics.json gives the tiny model's dev F1")
    p.add_argument("--keep-run", type=Path, default=None,
                   help="train the tiny model into this run directory and keep it")
    p.add_argument("--set", action="append", metavar="KEY=VALUE",
                   help="a config override for the tiny model's training (repeatable), "
                        "e.g. --set trainer.lr=3e-4")
    p.add_argument("--iterations", type=int, default=None, help="CRF L-BFGS iterations (30/100)")
    p.add_argument("--recipe", action="store_true",
                   help="also araft vs the run_ner.py recipe on the same checkpoint, per seed "
                        "(benchmarks/recipe_compare.py; about 10 minutes a seed on 2 cores)")
    p.add_argument("--seeds", type=int, nargs="+", default=[42, 43, 44], help="seeds of --recipe")
    p.add_argument("--recipe-out", type=Path, default=None,
                   help="keep --recipe's runs here; a rerun reuses the finished ones")
    p.add_argument("--seed", type=int, default=None, help=argparse.SUPPRESS)
    p.add_argument("--recipe-run", type=Path, default=None, help=argparse.SUPPRESS)
    p.add_argument("--train", type=Path, default=common.ANER_TRAIN, help=argparse.SUPPRESS)
    p.add_argument("--dev", type=Path, default=common.ANER_DEV, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.iterations is None:
        args.iterations = 30 if args.quick else 100
    return common.run_main(args, {"crf": side_crf, "tiny": side_tiny, **recipe_compare.SIDES}, parent)


if __name__ == "__main__":
    sys.exit(main())
