"""Benchmark 2, training throughput: araft's Trainer setup vs transformers' run_ner.py recipe.

Both sides: arabert-tiny with a fresh token-classification head (seed 42), ANERcorp train, the same
batch size (4 quick, 16 full), sequences of at most 128 subwords, the same number of optimizer steps, learning rate,
warm-up, weight decay and seed; no evaluation and no checkpoints during the timed run.

- araft: ``compose`` -> ``load_splits`` -> ``prepare_ner`` (untimed), then ``run_trainer`` (timed:
  builds the Trainer with araft's TrainingArguments and PadCollator, trains).
- reference, as run_ner.py does it: words preprocessed with ArabertPreprocessor (AraBERT needs it),
  ``datasets.map(tokenize_and_align_labels)`` with truncation at 128 (untimed), then
  ``Trainer(..., DataCollatorForTokenClassification(tokenizer))`` and ``train()`` (timed).

araft cuts long sentences into overlapping windows where the reference truncates them, so the
two draw slightly different batches; the tokens per batch are printed beside the throughput.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from benchmarks import common
from benchmarks.data_path import QUICK_SENTENCES, subset
from benchmarks.step_profile import StepProfile, print_profiles

MODULE = "benchmarks.training"
MAX_LENGTH = 128


def overrides(args) -> list[str]:
    work = args.workdir
    return [f"paths.output_root={work / 'outputs'}", f"paths.cache_dir={work / 'cache'}",
            "model=arabert-tiny", "data=anercorp", "tracking=none", "~data.extra_eval",
            f"data.train={args.conll}", "data.dev=null",
            f"model.max_length={MAX_LENGTH}", f"trainer.batch_size={args.batch}",
            f"trainer.max_steps={args.steps}", "trainer.eval_strategy=no",
            "trainer.save_strategy=no", "trainer.logging_steps=50"]


def side_araft(args) -> dict:
    from araft.config import compose
    from araft.encoding import PadCollator
    from araft.splits import load_splits
    from araft.tasks.ner.train import prepare_ner
    from araft.training import run_trainer, set_seed

    cfg = compose(overrides(args), root=str(common.ROOT))
    set_seed(cfg.seed)
    splits = load_splits(cfg.data)
    prepared = prepare_ner(cfg, splits.train, None, splits.files)
    prof = StepProfile()
    prepared.data_collator = prof.collator(PadCollator(prepared.tokenizer.pad_token_id))
    prof.install(prepared.model)
    with common.Meter() as m:
        trainer, _ = run_trainer(cfg, prepared, args.workdir / "run-araft")
    return finish(m, trainer, prof, args)


def side_reference(args) -> dict:
    import datasets
    from arabert.preprocess import ArabertPreprocessor
    from transformers import (AutoModelForTokenClassification, AutoTokenizer,
                              DataCollatorForTokenClassification, Trainer, TrainingArguments,
                              set_seed)

    from araft.config import compose
    from benchmarks.data_path import label2id
    from benchmarks.reference_recipe import aligner, read_split

    cfg = compose(overrides(args), root=str(common.ROOT))  # the same hyper-parameters
    tc = cfg.trainer
    set_seed(cfg.seed)
    l2i = label2id()
    prep = ArabertPreprocessor("bert-base-arabertv02")
    _, _, rows = read_split(Path(cfg.data.train), prep, l2i)
    tokenizer = AutoTokenizer.from_pretrained(cfg.model.name_or_path)
    raw = datasets.Dataset.from_list(rows)
    train = raw.map(aligner(tokenizer, MAX_LENGTH), batched=True, remove_columns=raw.column_names)
    model = AutoModelForTokenClassification.from_pretrained(
        cfg.model.name_or_path, num_labels=len(l2i), label2id=l2i,
        id2label={i: t for t, i in l2i.items()})
    targs = TrainingArguments(
        output_dir=str(args.workdir / "run-reference"), learning_rate=tc.lr,
        per_device_train_batch_size=tc.batch_size, max_steps=tc.max_steps,
        warmup_steps=tc.warmup_ratio, weight_decay=tc.weight_decay,
        lr_scheduler_type=tc.scheduler, eval_strategy="no", save_strategy="no",
        logging_steps=tc.logging_steps, seed=cfg.seed, report_to="none", use_cpu=True)
    prof = StepProfile()
    collator = prof.collator(DataCollatorForTokenClassification(tokenizer))
    prof.install(model)
    with common.Meter() as m:
        trainer = Trainer(model=model, args=targs, train_dataset=train, processing_class=tokenizer,
                          data_collator=collator)
        trainer.train()
    return finish(m, trainer, prof, args)


def finish(m: common.Meter, trainer, prof: StepProfile, args) -> dict:
    steps = trainer.state.global_step
    losses = [h["loss"] for h in trainer.state.log_history if "loss" in h]
    return m.result(steps=steps, samples=steps * args.batch, last_loss=losses[-1] if losses else None,
                    profile=prof.summary(m.wall_s))


def optimizer_check(repeats: int = 30) -> dict[str, float]:
    """AdamW step on arabert-tiny's parameters, one process, interleaved: plain ``adamw_torch``
    (foreach) vs ``adamw_torch_fused`` (transformers' default, and araft's since this benchmark
    showed the difference). Returns the median ms per step of each."""
    import statistics
    import time

    import torch
    from transformers import AutoModelForTokenClassification

    model = AutoModelForTokenClassification.from_pretrained(common.TINY_MODEL, num_labels=9)
    for p in model.parameters():
        p.grad = torch.randn_like(p)
    opts = {"adamw_torch": torch.optim.AdamW(model.parameters(), lr=1e-5, foreach=True),
            "adamw_torch_fused": torch.optim.AdamW(model.parameters(), lr=1e-5, fused=True)}
    times: dict[str, list[float]] = {k: [] for k in opts}
    for _ in range(repeats):
        for name, opt in opts.items():
            t = time.perf_counter()
            opt.step()
            times[name].append(time.perf_counter() - t)
    return {k: 1000 * statistics.median(v) for k, v in times.items()}


def parent(args) -> dict:
    n = common.repeats(args)
    with tempfile.TemporaryDirectory(prefix="araft-bench-train-") as tmp:
        conll = common.ANER_TRAIN
        if args.quick:
            conll = subset(conll, Path(tmp) / "train.conll", QUICK_SENTENCES)
        argv = ["--workdir", tmp, "--steps", str(args.steps), "--batch", str(args.batch),
                "--conll", str(conll)]
        common.header("training throughput: araft vs run_ner.py recipe",
                      f"arabert-tiny, ANERcorp train{' (first %d sentences)' % QUICK_SENTENCES if args.quick else ''}, "
                      f"batch {args.batch}, max length {MAX_LENGTH}, {args.steps} steps, CPU; best of {n}")
        res = common.measure_sides(MODULE, ["reference", "araft"], argv, n)
    for r in res.values():
        r["samples_per_s"] = r["samples"] / r["wall_s"]
        p = r["profile"]
        r["real_tokens_per_s"] = p["real_tokens"] / r["wall_s"]
    common.table(res, "samples_per_s", "samples/s")
    for side, r in res.items():
        print(f"   {side}: {r['steps']} steps, last logged loss {r['last_loss']}, "
              f"{r['real_tokens_per_s']:.0f} real tokens/s")
    print_profiles({s: r["profile"] for s, r in res.items()}, {s: r["wall_s"] for s, r in res.items()})
    opt_ms = optimizer_check()
    print(f"   optimizer step alone (median ms, same process): adamw_torch "
          f"{opt_ms['adamw_torch']:.1f}, adamw_torch_fused (both sides) "
          f"{opt_ms['adamw_torch_fused']:.1f}")
    speed = res["araft"]["samples_per_s"] / res["reference"]["samples_per_s"]
    tokens = res["araft"]["real_tokens_per_s"] / res["reference"]["real_tokens_per_s"]
    print(f"   real tokens/s araft/reference: {tokens:.2f}x (araft keeps the words past 128 subwords "
          "in extra windows, so its batches hold more tokens)")
    mem = res["araft"]["peak_rss_mb"] / res["reference"]["peak_rss_mb"]
    print(f"   peak RSS araft/reference: {mem:.2f}x (target <= 1x: {'met' if mem <= 1.0 else 'MISSED'})")
    met = common.ratio_line("training", speed, "araft/reference samples/s", 1.0)
    return {"benchmark": "training", "quick": args.quick, "repeats": n, "steps": args.steps,
            "results": res, "ratio": speed, "tokens_ratio": tokens, "memory_ratio": mem,
            "optimizer_ms": opt_ms, "target_met": met and mem <= 1.0,
            "load_average": common.load_average()}


def main(argv: list[str] | None = None) -> int:
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--steps", type=int, default=None, help="optimizer steps (10 quick, 200 full)")
    p.add_argument("--conll", type=Path, default=common.ANER_TRAIN, help=argparse.SUPPRESS)
    p.add_argument("--batch", type=int, default=None, help="batch size (4 quick, 16 full)")
    args = p.parse_args(argv)
    if args.steps is None:
        args.steps = 10 if args.quick else 200
    if args.batch is None:
        args.batch = 4 if args.quick else 16
    return common.run_main(args, {"araft": side_araft, "reference": side_reference}, parent)


if __name__ == "__main__":
    sys.exit(main())
