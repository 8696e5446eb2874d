"""The claims stage of the embedded model's build: news sentences scored by TF-IDF, learnt by the encoder.

The tiny encoder ranks obstacle sentences worse than TF-IDF's n-grams, after fine-tuning as well as in a
linear probe on its frozen vectors (docs/benchmarks.md, "After the re-check"), while TF-IDF is capped by
its bag of n-grams. This stage distils one into the other, as the silver stage did with the CRF's
entities: the claims corpus's TF-IDF + logistic-regression baseline (benchmarks/claims_quality.py, fit on
train, C chosen on dev) scores SaudiNewsNet sentences from the pretraining pool (held-back days and the
claims corpus's articles and wire copies out, news_corpus.py; ANERcorp dev sentences out), and the
encoder learns its probabilities (soft targets, binary cross-entropy) for one pass, beside the silver
stage's CRF tags for the same sentences (araft's joint model: claims_student.py), since learning the
scores alone costs it what the silver stage taught (`--sentences-only`, the ablation). The encoder and
its pooler, not the heads, become the new model; fine-tuning on gold labels follows.

The corpus's test split trains and chooses nothing: the teacher learns from train and picks C on dev.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from scripts.tiny_model import news_corpus
from scripts.tiny_model.silver import count_entities, eligible_sentences, fit_crf, sample, tag_sentences


def news_sentences(data_dir: Path, claims_dir: Path, exclude: set[str]) -> tuple[list, dict]:
    """(text as written, words) of each pretraining-pool news sentence (news_corpus: held-back articles
    out, repeats dropped) that silver.eligible_sentences keeps (length, not in ``exclude``), and how
    many were left out. The teacher reads the text, as it read the corpus's sentences; the student
    reads the words, as araft's fine-tuning does."""
    articles = news_corpus.read_articles(data_dir / news_corpus.SNN_JSONL)
    kept, notes = news_corpus.select_articles(articles, claims_dir)
    records, repeats = news_corpus.dedupe(news_corpus.sentence_records(kept), key=lambda r: " ".join(r[1]))
    pool = eligible_sentences(records, exclude, words=lambda r: r[1])
    return pool, {**notes, "duplicate_sentences_dropped": repeats}


@lru_cache(maxsize=1)  # fit once per process: labelling and the dev comparison use the same teacher
def teacher():
    """The TF-IDF baseline of benchmarks/claims_quality.py, fit on the corpus's train, C chosen on
    dev; and how many train sentences it learnt from."""
    from benchmarks.claims_quality import fit_tfidf, load_split

    train = load_split("train")
    return fit_tfidf(train, load_split("dev")), len(train[0])


def label_news(pool: list[tuple[str, list[str]]], n: int, seed: int, out: Path) -> tuple[list, dict]:
    """``n`` pool sentences drawn with ``seed``, their teacher probabilities (written to ``out`` as
    JSONL, one sentence per line), and the counts for the card."""
    from benchmarks.claims_quality import LABELS

    model, n_train = teacher()
    chosen = sample(pool, n, seed)
    probs = model.probs([text for text, _ in chosen])
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as f:
        for (text, words), p in zip(chosen, probs):
            f.write(json.dumps({"text": text, "words": words,
                                **{lab: round(float(v), 4) for lab, v in zip(LABELS, p)}},
                               ensure_ascii=False) + "\n")
    rows = [(words, [float(v) for v in p]) for (_, words), p in zip(chosen, probs)]
    return rows, {"sentences": len(chosen), "words": sum(len(w) for _, w in chosen),
                  "eligible": len(pool), "seed": seed,
                  "mean_target": {lab: round(float(probs[:, j].mean()), 4) for j, lab in enumerate(LABELS)},
                  "above_half": {lab: int((probs[:, j] >= 0.5).sum()) for j, lab in enumerate(LABELS)},
                  "teacher": model.chosen, "teacher_train_sentences": n_train}


def crf_tags(sentences: list[list[str]], aner_dir: Path) -> tuple[list, dict]:
    """Stage 2's teacher (silver.fit_crf, on ANERcorp train) tags ``sentences``; the tags and the
    CRF's figures."""
    crf, figures = fit_crf(aner_dir / "train.conll", aner_dir / "dev.conll")
    tags = tag_sentences(crf, sentences)
    return tags, {**figures, "entities": count_entities(tags)}


def run_stage(args, root: Path, default_sentences: int, recipe: list[str]) -> int:
    """`build_news_model claims-silver`: TF-IDF-scored news, one pass of ``recipe`` on it from
    ``--init-from``, the encoder (and pooler) saved to ``--out`` with the starting model's masked-LM
    head, and its card."""
    import sys
    import time

    import torch

    from araft.config import compose
    from benchmarks.crf import gold
    from scripts.tiny_model import silver
    from scripts.tiny_model.claims_silver_card import write_claims_silver_card
    from scripts.tiny_model.claims_student import student_dev_auc, train_student
    from scripts.tiny_model.machine import machine

    if args.init_from is None:
        print("error: claims-silver needs --init-from (the encoder to continue)", file=sys.stderr)
        return 2
    torch.set_num_threads(args.threads)
    t0 = time.time()
    n = args.silver_sentences or default_sentences
    work = args.out.with_name(args.out.name + ".work")
    aner = root / "data" / "anercorp"
    dev = {" ".join(ws) for ws in gold(aner / "dev.conll")[0]}  # ANERcorp dev never trains anything
    pool, notes = news_sentences(args.data_dir, root / "data" / "claims_obstacles", dev)
    rows, counts = label_news(pool, n, args.seed, work / f"claims_silver_{n}_seed{args.seed}.jsonl")
    tags = None
    if not args.sentences_only:  # learning the entity tags too keeps what stage 2 taught
        tags, counts["crf"] = crf_tags([words for words, _ in rows], aner)
    counts.update(notes, label_s=round(time.time() - t0, 1))
    print(json.dumps(counts, ensure_ascii=False), flush=True)
    cfg = compose([f"paths.output_root={work / 'outputs'}", f"paths.cache_dir={work / 'cache'}",
                   "experiment=claims_obstacles_tiny", f"seed={args.seed}",
                   f"model.name_or_path={args.init_from.resolve()}", *recipe], root=str(root))
    t1 = time.time()
    figures = train_student(cfg, rows, work / "run", tags, args.sentence_weight)
    train_s = time.time() - t1
    auc = student_dev_auc(work / "run" / "model", cfg)
    params = silver.export_encoder(work / "run" / "model", args.init_from, work / "final")
    init = silver.relative_to_root(args.init_from, root)
    log = {"stage": "claims-silver", "before": silver.read_log(args.init_from), "claims_silver": {
        **counts, **figures, "init_from": str(init), "dev_roc_auc": auc,
        "epochs": 1, "lr": cfg.trainer.lr, "batch_size": cfg.trainer.batch_size, "train_s": round(train_s),
        "machine": machine(), "threads": args.threads,
        "command": f"python -m scripts.build_news_model claims-silver --init-from {init} "
                   f"--out {silver.relative_to_root(args.out, root)} --silver-sentences {n} --seed {args.seed}"
                   + (" --sentences-only" if args.sentences_only
                      else f" --sentence-weight {args.sentence_weight:g}")}}
    log["encoder_params"] = params
    print(json.dumps(log["claims_silver"], ensure_ascii=False), flush=True)
    silver.publish(work, args.out, log, write_claims_silver_card)
    print(f"wrote {args.out} (claims-silver stage {time.time() - t0:.0f} s)")
    return 0
