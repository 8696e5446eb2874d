"""Benchmark 3, inference: araft's Predictor vs transformers.pipeline("token-classification").

Same sentences (the first 150 of ANERcorp dev quick, all of train full), same model, same batch size (32), CPU.
- araft: ``Predictor.predict_articles(articles)``: segmentation, AraBERT preprocessing (word cache
  starts empty), windows, length-sorted batches across sentences, entity spans on the original text.
- pipeline: ``pipe(texts, batch_size=32)`` with ``aggregation_strategy="simple"`` on each sentence's
  text already preprocessed (the preprocessing is done untimed, in the pipeline's favour).
Both sides pay their one-time costs (first forward, lazy imports) before the timer starts.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from benchmarks import common
from benchmarks.data_path import QUICK_SENTENCES, subset
from benchmarks.ner_model import WARMUP_TEXT, load_predictor, model_dir

MODULE = "benchmarks.inference"
BATCH = 32
QUICK_DEV = QUICK_SENTENCES // 4


def side_araft(args) -> dict:
    from araft.corpus.formats import read_articles
    from araft.tasks.ner import sentence_words

    articles = read_articles(args.conll)
    n_sent = len(sentence_words(articles, with_gold=False))
    predictor = load_predictor(args.model, BATCH)
    with common.Meter() as m:
        out = predictor.predict_articles(articles)
    return m.result(n_sentences=n_sent, n_entities=sum(len(a.entities) for a in out))


def side_pipeline(args) -> dict:
    from arabert.preprocess import ArabertPreprocessor
    from transformers import AutoModelForTokenClassification, AutoTokenizer, pipeline

    from benchmarks.data_path import read_conll

    prep = ArabertPreprocessor("bert-base-arabertv02")
    texts = [" ".join(p for p in (prep.preprocess(w) for w in words) if p.strip())
             for words, _ in read_conll(args.conll)]
    model = AutoModelForTokenClassification.from_pretrained(args.model)
    tok = AutoTokenizer.from_pretrained(args.model)
    pipe = pipeline("token-classification", model=model, tokenizer=tok,
                    aggregation_strategy="simple", device="cpu")
    pipe(prep.preprocess(WARMUP_TEXT))
    with common.Meter() as m:
        out = pipe(texts, batch_size=BATCH)
    return m.result(n_sentences=len(texts), n_entities=sum(len(o) for o in out))


def parent(args) -> dict:
    n = common.repeats(args)
    with tempfile.TemporaryDirectory(prefix="araft-bench-infer-") as tmp:
        conll = common.ANER_TRAIN
        if args.quick:
            conll = subset(common.ANER_DEV, Path(tmp) / "dev.conll", QUICK_DEV)
        path, what = model_dir(args, Path(tmp))
        common.header("inference: Predictor vs transformers.pipeline",
                      f"{what}; ANERcorp {'dev (first %d sentences)' % QUICK_DEV if args.quick else 'train'}; batch {BATCH}; CPU; best of {n}")
        argv = ["--model", str(path), "--conll", str(conll)]
        res = common.measure_sides(MODULE, ["pipeline", "araft"], argv, n)
    for r in res.values():
        r["sentences_per_s"] = r["n_sentences"] / r["wall_s"]
    common.table(res, "sentences_per_s", "sentences/s")
    print(f"   {res['araft']['n_sentences']} sentences; entities found: "
          + ", ".join(f"{s} {r['n_entities']}" for s, r in res.items()))
    speed = res["araft"]["sentences_per_s"] / res["pipeline"]["sentences_per_s"]
    met = common.ratio_line("inference", speed, "araft/pipeline sentences/s", 2.0)
    return {"benchmark": "inference", "quick": args.quick, "repeats": n, "model": what,
            "data": conll.name, "results": res, "ratio": speed, "target_met": met,
            "load_average": common.load_average()}


def main(argv: list[str] | None = None) -> int:
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--model", type=Path, default=None,
                   help="a trained araft model folder (default: the embedded arabert-mini-news, random NER head)")
    p.add_argument("--conll", type=Path, default=None, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    return common.run_main(args, {"araft": side_araft, "pipeline": side_pipeline}, parent)


if __name__ == "__main__":
    sys.exit(main())
