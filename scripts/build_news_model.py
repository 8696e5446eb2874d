"""Build the default embedded encoder: news text, vocabulary, pretraining (RTD or MLM), card.

    make news-model     # the committed build: continues models/arabert-tiny on SaudiNewsNet
    .venv/bin/python -m scripts.build_news_model prepare --tokenizer models/arabert-tiny
    .venv/bin/python -m scripts.build_news_model pretrain --init-from models/arabert-tiny \\
        --objective rtd --budget-min 55 --snapshot-every-min 15 --out build/warm_rtd
    .venv/bin/python -m scripts.build_news_model prepare            # or: a new 24k news vocabulary
    .venv/bin/python -m scripts.build_news_model pretrain --objective mlm --threads 1 --out build/x
    .venv/bin/python -m scripts.build_news_model silver --init-from models/arabert-mini-news \\
        --out models/arabert-mini-news-silver       # CRF-labelled news, one pass (tiny_model/silver.py)
    .venv/bin/python -m scripts.build_news_model silver --init-from models/arabert-mini-news-silver \\
        --teacher RUN --out build/x                 # a second pass, an araft NER run as the teacher
    .venv/bin/python -m scripts.build_news_model claims-silver --init-from models/arabert-mini-news-silver \\
        --out models/arabert-mini-news-claims       # TF-IDF-scored news, one pass (tiny_model/claims_silver.py)

Text: SaudiNewsNet 2015 (held-back days and the claims corpus's articles out, sentences de-duplicated;
see tiny_model/news_corpus.py) plus the redistributable corpora of tiny_model/corpus.py (never ANERcorp
dev or AQMAR test). A cut ``pretrain`` resumes from ``<out>.work/ckpt.pt`` when rerun with the same
arguments; snapshots of the encoder go to ``<out>.work/snapshots/`` and the final one to ``--out``.
``pretrain --device cuda`` runs the same loop on a GPU in bf16 (scripts/news_model_device.sh: one call
on the device tool's machine, which has no ../shared: pretrain reads only the prepared ids).
"""
from __future__ import annotations

import argparse
import json
import pickle
import random
import shutil
import sys
import time
from pathlib import Path

from scripts.tiny_model import corpus as small_corpora
from scripts.tiny_model import news_corpus
from scripts.tiny_model.machine import machine

ROOT = Path(__file__).resolve().parents[1]

SEED = 13
VOCAB_SIZE = 24000
MODE = "arabertv02"
SHAPE = dict(embedding_size=128, hidden_size=256, num_hidden_layers=4, num_attention_heads=4,
             intermediate_size=1024)
SETTINGS = {"preprocess": MODE, "max_length": 128}
SIZE_LIMIT = 40_000_000
HELD_FRACTION = 0.005
MIN_WORD_COUNT = 3  # vocabulary merges learnt from words seen 3+ times
# all 226,353 eligible sentences scored +0.017 [-0.002, +0.038] with make run's recipe, but the claims
# stage built on them -0.018 [-0.041, +0.003] on the claims test: not adopted (docs/benchmarks.md)
SILVER_SENTENCES = 120_000
# one pass over the silver news, written out so that a later change of `make run`'s recipe does not
# change the build; no evaluation during the pass (dev selects nothing here)
SILVER_RECIPE = ["trainer.epochs=1", "trainer.lr=5e-4", "trainer.batch_size=32", "trainer.group_by_length=true",
                 "trainer.eval_strategy=no"]
CLAIMS_SILVER_SENTENCES = 100_000
# At 1 the entity tags pulled the stage's obstacle ranking down (dev ROC-AUC 0.732 against 0.831
# without tags); at 3 it keeps it (0.833), ANERcorp dev 0.010 below silver (docs/benchmarks.md).
CLAIMS_SILVER_SENTENCE_WEIGHT = 3.0
CLAIMS_SILVER_RECIPE = ["trainer.epochs=1", "trainer.lr=3e-4", "trainer.batch_size=32",
                        "trainer.group_by_length=true", "trainer.eval_strategy=no"]


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("stage", choices=["prepare", "pretrain", "silver", "claims-silver"])
    ap.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--work", type=Path, default=ROOT / "build" / "news_text",
                    help="cache of the prepared text, vocabulary and ids (not committed)")
    ap.add_argument("--out", type=Path, default=ROOT / "models" / "araelectra-small-news")
    ap.add_argument("--objective", choices=["rtd", "mlm"], default="rtd")
    ap.add_argument("--init-from", type=Path, default=None,
                    help="a BERT MLM folder to continue from (its encoder, shape and vocabulary)")
    ap.add_argument("--teacher", type=Path, default=None,
                    help="silver: an araft NER model (run or model folder) tags the news instead of the CRF")
    ap.add_argument("--tokenizer", type=Path, default=None,
                    help="prepare: use this folder's tokenizer instead of learning a vocabulary")
    ap.add_argument("--vocab-size", type=int, default=VOCAB_SIZE)
    ap.add_argument("--layers", type=int, default=SHAPE["num_hidden_layers"])
    ap.add_argument("--budget-min", type=float, default=75.0, help="pretraining wall time in minutes")
    ap.add_argument("--max-steps", type=int, default=None, help="stop after this many steps")
    ap.add_argument("--snapshot-every-min", type=float, default=None,
                    help="save the encoder every N minutes (the card's curve)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--lr", type=float, default=None, help="peak learning rate (default: news_loop.HPARAMS)")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--device", default="cpu", help="cpu, or cuda on a GPU machine (bf16 where supported)")
    ap.add_argument("--batch-size", type=int, default=None,
                    help="sequences per step (default: news_loop.HPARAMS; a GPU wants several times more)")
    ap.add_argument("--silver-sentences", type=int, default=None,
                    help=f"silver: news sentences the teacher labels and the encoder learns "
                         f"({SILVER_SENTENCES}); "
                         f"claims-silver: the sentences TF-IDF scores ({CLAIMS_SILVER_SENTENCES})")
    ap.add_argument("--sentences-only", action="store_true",
                    help="claims-silver: the student learns the sentence scores alone, without stage 2's CRF "
                         "entity tags beside them (the ablation: it forgets entities)")
    ap.add_argument("--sentence-weight", type=float, default=CLAIMS_SILVER_SENTENCE_WEIGHT,
                    help="claims-silver: weight of the sentence loss beside the entity tags' loss "
                         f"({CLAIMS_SILVER_SENTENCE_WEIGHT:g})")
    return ap.parse_args(argv)


def prepare(data_dir: Path, work: Path, vocab_size: int, seed: int, tokenizer: Path | None = None) -> dict:
    """Text, vocabulary and token ids, cached in ``work``; returns the corpus counts."""
    from araft.preprocessing import WordPreprocessor
    from scripts.tiny_model.masking import encode
    from scripts.tiny_model.vocab import build_tokenizer

    t0 = time.time()
    articles = news_corpus.read_articles(data_dir / news_corpus.SNN_JSONL)
    kept, notes = news_corpus.select_articles(articles, ROOT / "data" / "claims_obstacles")
    train_arts, held_arts = news_corpus.split_articles(kept, HELD_FRACTION, seed)
    news, dropped = news_corpus.dedupe(news_corpus.article_sentences(train_arts))
    held = news_corpus.article_sentences(held_arts)
    small = small_corpora.load_corpus(data_dir)
    sources = {"saudinewsnet": news, **small.sentences}
    stats = {"sources": {k: {"sentences": len(v), "words": sum(map(len, v))} for k, v in sources.items()},
             "excluded": {**notes, **small.notes, "duplicate_sentences_dropped": dropped,
                          "heldout_articles": len(held_arts)}}
    print(json.dumps(stats, ensure_ascii=False), flush=True)
    pre = WordPreprocessor(MODE)

    def preprocess(sents):
        flat = pre.many(w for s in sents for w in s)
        out, i = [], 0
        for s in sents:
            words = [w.strip() for w in flat[i:i + len(s)] if w.strip()]
            i += len(s)
            if words:
                out.append(words)
        return out

    train = [s for name in sorted(sources) for s in preprocess(sources[name])]
    held = preprocess(held)
    print(f"preprocessed {len(train)} sentences ({time.time() - t0:.0f}s)", flush=True)
    work.mkdir(parents=True, exist_ok=True)
    if tokenizer is None:
        tok = build_tokenizer(train, vocab_size, work / "tokenizer", min_word_count=MIN_WORD_COUNT)
    else:  # continued pretraining keeps the starting model's vocabulary
        from transformers import AutoTokenizer

        tok = AutoTokenizer.from_pretrained(str(tokenizer))
        tok.save_pretrained(str(work / "tokenizer"))
    print(f"vocabulary {len(tok)} ({time.time() - t0:.0f}s)", flush=True)
    train_enc, held_enc = encode(tok, train), encode(tok, held)
    stats.update(train_sentences=len(train), train_words=sum(map(len, train)),
                 train_tokens=sum(len(e[0]) for e in train_enc), heldout_sentences=len(held),
                 heldout_words=sum(map(len, held)), heldout_tokens=sum(len(e[0]) for e in held_enc),
                 vocab_size=len(tok), prepare_s=round(time.time() - t0, 1))
    with open(work / "encoded.pkl", "wb") as f:
        pickle.dump({"train": train_enc, "held": held_enc, "stats": stats}, f)
    (work / "stats.json").write_text(json.dumps(stats, ensure_ascii=False, indent=1), encoding="utf-8")
    return stats


def run_pretrain(args) -> int:
    import numpy as np
    import torch
    from transformers import AutoTokenizer

    from scripts.tiny_model.card import write_card
    from scripts.tiny_model.news_loop import pretrain, save_encoder
    from scripts.tiny_model.objectives import OBJECTIVES, bert_shape, encoder_config, warm_start
    from scripts.tiny_model.rounds import with_earlier_rounds

    if args.device.startswith("cuda") and not torch.cuda.is_available():
        print(f"error: --device {args.device} but torch {torch.__version__} sees no CUDA GPU", file=sys.stderr)
        return 2
    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    with open(args.work / "encoded.pkl", "rb") as f:
        data = pickle.load(f)
    tok = AutoTokenizer.from_pretrained(str(args.work / "tokenizer"))
    shape = bert_shape(args.init_from) if args.init_from else dict(SHAPE, num_hidden_layers=args.layers)
    torch.manual_seed(args.seed)
    objective = OBJECTIVES[args.objective](encoder_config(tok, shape, SETTINGS))
    start = warm_start(objective, args.init_from) if args.init_from else {"warm_start": None}
    print(json.dumps(start), flush=True)
    params = sum(p.numel() for p in objective.encoder().parameters())
    print(f"{args.objective}: encoder {params:,} parameters", flush=True)
    work = args.out.with_name(args.out.name + ".work")
    snap = args.snapshot_every_min * 60 if args.snapshot_every_min else None
    hp = {k: v for k, v in (("lr", args.lr), ("batch_size", args.batch_size)) if v is not None}
    log = pretrain(objective, tok, data["train"], data["held"], work, seed=args.seed,
                   budget_s=args.budget_min * 60, max_steps=args.max_steps, snapshot_every_s=snap,
                   hp=hp, device=args.device)
    log.update(start, corpus=data["stats"], shape=shape, encoder_params=params, threads=args.threads,
               seed=args.seed, machine=machine(args.device), pretrained=True)
    log = with_earlier_rounds(log, args.init_from)  # a second news round names the first in its card
    save_encoder(objective, tok, work / "final")
    (work / "final" / "training_log.json").write_text(json.dumps(log, ensure_ascii=False, indent=1) + "\n",
                                                   encoding="utf-8")
    write_card(work / "final", log)
    size = sum(p.stat().st_size for p in (work / "final").rglob("*") if p.is_file())
    if size > SIZE_LIMIT:
        print(f"error: {work / 'final'} is {size} bytes, over {SIZE_LIMIT}", file=sys.stderr)
        return 1
    shutil.rmtree(args.out, ignore_errors=True)
    shutil.copytree(work / "final", args.out)
    print(f"wrote {args.out} ({size / 1e6:.1f} MB, {params:,} parameters)")
    return 0


def run_silver(args) -> int:
    """CRF-labelled news (tiny_model/silver.py), one pass of SILVER_RECIPE on it from ``--init-from``,
    and the encoder saved to ``--out`` with the starting model's masked-LM head."""
    import torch

    from araft.config import compose
    from araft.run import run_training
    from scripts.tiny_model import silver
    from scripts.tiny_model.silver_card import write_silver_card

    if args.init_from is None:
        print("error: silver needs --init-from (the pretrained encoder to continue)", file=sys.stderr)
        return 2
    torch.set_num_threads(args.threads)
    t0 = time.time()
    n = args.silver_sentences or SILVER_SENTENCES
    work = args.out.with_name(args.out.name + ".work")
    conll = work / f"silver_{n}_seed{args.seed}.conll"
    aner = ROOT / "data" / "anercorp"
    news, notes = silver.read_news(args.data_dir, ROOT / "data" / "claims_obstacles")
    counts = silver.label_news(news, aner / "train.conll", aner / "dev.conll", n,
                               args.seed, conll, teacher=args.teacher)
    counts.update(notes, label_s=round(time.time() - t0, 1))
    teacher = ""
    if args.teacher:
        counts["teacher"] = teacher = str(silver.relative_to_root(args.teacher, ROOT))
    print(json.dumps(counts, ensure_ascii=False), flush=True)
    cfg = compose([f"paths.output_root={work / 'outputs'}", f"paths.cache_dir={work / 'cache'}",
                   "experiment=anercorp_tiny", "tracking=none", "~data.extra_eval", f"seed={args.seed}",
                   f"model.name_or_path={args.init_from.resolve()}", f"data.train={conll}",
                   *SILVER_RECIPE], root=str(ROOT))
    t1 = time.time()
    metrics = run_training(cfg, work / "run")
    train_s = time.time() - t1
    params = silver.export_encoder(work / "run" / "model", args.init_from, work / "final")
    init = silver.relative_to_root(args.init_from, ROOT)
    log = silver.stage_log(silver.read_log(args.init_from), {
        **counts, "init_from": str(init),
        "epochs": 1, "lr": cfg.trainer.lr, "batch_size": cfg.trainer.batch_size, "train_s": round(train_s),
        "student_dev_micro_f1": round(metrics["splits"]["dev"]["micro_f1"], 4),
        "machine": machine(), "threads": args.threads,
        "command": f"python -m scripts.build_news_model silver --init-from {init} "
                   f"--out {silver.relative_to_root(args.out, ROOT)} "
                   + (f"--teacher {teacher} " if teacher else "")
                   + f"--silver-sentences {n} --seed {args.seed}"})
    log["encoder_params"] = params
    silver.publish(work, args.out, log, write_silver_card)
    print(f"wrote {args.out} (silver stage {time.time() - t0:.0f} s)")
    return 0


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.stage in ("prepare", "silver", "claims-silver") and not args.data_dir.is_dir():
        # pretrain reads only the prepared ids (a GPU machine lacks ../shared)
        print(f"error: data folder {args.data_dir} not found", file=sys.stderr)
        return 2
    if args.stage == "prepare":
        prepare(args.data_dir, args.work, args.vocab_size, args.seed, args.tokenizer)
        return 0
    if args.stage == "silver":
        return run_silver(args)
    if args.stage == "claims-silver":
        from scripts.tiny_model.claims_silver import run_stage

        return run_stage(args, ROOT, CLAIMS_SILVER_SENTENCES, CLAIMS_SILVER_RECIPE)
    if not (args.work / "encoded.pkl").is_file():
        print(f"error: {args.work / 'encoded.pkl'} not found: run the prepare stage first", file=sys.stderr)
        return 2
    return run_pretrain(args)


if __name__ == "__main__":
    sys.exit(main())
