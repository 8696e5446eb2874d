"""Benchmark 4, Predictor overhead: end-to-end ``predict_articles`` vs the bare model forward.

Same model, sentences and batches. "end-to-end": a Predictor with an empty word cache turns the
articles into entity spans (segmentation, preprocessing, encoding, batching, forward, softmax,
decoding). "forward": the batches that Predictor builds (prepared untimed), only ``model(**batch)``
under ``torch.inference_mode``. The share forward/end-to-end is what the model costs; the rest is
araft. A stage breakdown of the end-to-end path is printed from one extra pass.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import common
from benchmarks.data_path import QUICK_SENTENCES, subset
from benchmarks.ner_model import forward_all, load_predictor, model_dir, predictor_batches

MODULE = "benchmarks.overhead"
BATCH = 32
QUICK_DEV = QUICK_SENTENCES // 4


def side_e2e(args) -> dict:
    from araft.corpus.formats import read_articles

    articles = read_articles(args.conll)
    predictor = load_predictor(args.model, BATCH)
    with common.Meter() as m:
        predictor.predict_articles(articles)
    return m.result(stages=stages(args, articles))


def stages(args, articles) -> dict[str, float]:
    """The end-to-end path once more, stage by stage (fresh word cache)."""
    import torch

    predictor = load_predictor(args.model, BATCH)
    t0 = time.perf_counter()
    sents, batches, times = predictor_batches(predictor, articles)
    t = time.perf_counter()
    with torch.inference_mode():
        logits = [predictor.model(**b).logits for b in batches]
    times["model forward"] = time.perf_counter() - t
    t = time.perf_counter()
    [torch.softmax(x.float(), dim=-1).numpy() for x in logits]
    times["softmax -> numpy"] = time.perf_counter() - t
    total = time.perf_counter() - t0
    wp = predictor.predict_words(articles)  # untimed: to_articles needs its output
    t = time.perf_counter()
    predictor.to_articles(articles, wp)
    times["to_articles (decode spans)"] = time.perf_counter() - t
    times["(sum of the stages)"] = total + times["to_articles (decode spans)"]
    del sents
    return times


def side_forward(args) -> dict:
    from araft.corpus.formats import read_articles

    articles = read_articles(args.conll)
    predictor = load_predictor(args.model, BATCH)
    _, batches, _ = predictor_batches(predictor, articles)
    with common.Meter() as m:
        forward_all(predictor.model, batches)
    return m.result(n_batches=len(batches),
                    n_windows=sum(int(b["input_ids"].shape[0]) for b in batches))


def parent(args) -> dict:
    n = common.repeats(args)
    with tempfile.TemporaryDirectory(prefix="araft-bench-overhead-") as tmp:
        conll = common.ANER_DEV
        if args.quick:
            conll = subset(conll, Path(tmp) / "dev.conll", QUICK_DEV)
        path, what = model_dir(args, Path(tmp))
        common.header("overhead: Predictor end-to-end vs bare model forward",
                      f"{what}; ANERcorp {conll.stem}{' (first %d sentences)' % QUICK_DEV if args.quick else ''}"
                      f"; batch {BATCH}; CPU; best of {n}")
        argv = ["--model", str(path), "--conll", str(conll)]
        res = common.measure_sides(MODULE, ["e2e", "forward"], argv, n)
    n_win = res["forward"]["n_windows"]
    for r in res.values():
        r["windows_per_s"] = n_win / r["wall_s"]
    common.table(res, "windows_per_s", "windows/s")
    print(f"   {n_win} windows in {res['forward']['n_batches']} batches")
    print("   end-to-end stages (one extra pass, wall s):")
    for stage, s in res["e2e"]["stages"].items():
        print(f"     {s:7.3f}  {stage}")
    share = res["forward"]["wall_s"] / res["e2e"]["wall_s"]
    met = common.ratio_line("overhead", 100 * share, "forward / end-to-end time", 80.0, unit="%")
    return {"benchmark": "overhead", "quick": args.quick, "repeats": n, "model": what,
            "results": res, "ratio": share, "target_met": met,
            "load_average": common.load_average()}


def main(argv: list[str] | None = None) -> int:
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--model", type=Path, default=None,
                   help="a trained araft model folder (default: the embedded arabert-mini-news, random NER head)")
    p.add_argument("--conll", type=Path, default=None, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    return common.run_main(args, {"e2e": side_e2e, "forward": side_forward}, parent)


if __name__ == "__main__":
    sys.exit(main())
