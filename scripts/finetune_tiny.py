"""What pretraining buys: fine-tune the tiny model and the same architecture from random weights.

    .venv/bin/python -m scripts.finetune_tiny                       # 3 seeds x 2 inits, ~10 min on 2 cores
    .venv/bin/python -m scripts.finetune_tiny --set trainer.epochs=8 --reuse-random --record

Both sides run `experiment=anercorp_tiny` (the `make run` job: ANERcorp train -> dev, 3 epochs,
lr 5e-4; `--set` changes it for both) with the same seed; the only difference is
`model.random_init`. Prints dev entity micro F1 with its bootstrap CI per run, the mean and spread
over seeds, and per seed the paired difference (pretrained minus random on the same sentences, with
its bootstrap CI and p-value, as `araft compare` computes it). --record stores the rows in the
model's training_log.json ("finetune") and re-renders its README.md.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

INITS = {"pretrained": "false", "random": "true"}


def reusable_random_run(run_dir: Path, cfg, model: Path) -> bool:
    """A random-init run depends on the settings, the architecture and the vocabulary, not on the
    pretrained weights: an earlier run with all three equal gives the same result, so a new build
    need not repeat it."""
    from araft.rundir import RunDir
    from araft.runinfo import RunInfo

    run = RunDir(run_dir)
    info = run.info() if run.metrics_file.is_file() else None
    if info is None or info.config is None:  # no finished run, or a config today's schema refuses
        return False
    # where the model folder lies does not matter: its architecture and vocabulary are compared below
    drop = lambda info: {k: v for k, v in info.config_values().items()  # noqa: E731
                         if not k.startswith("paths.") and k != "model.name_or_path"}
    arch = ("vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size")
    conf = [json.loads((d / "config.json").read_text(encoding="utf-8")) for d in (run.model, model)]
    return (drop(info) == drop(RunInfo(config=cfg))
            and all(conf[0].get(k) == conf[1].get(k) for k in arch)
            and (run.model / "tokenizer.json").read_bytes() == (model / "tokenizer.json").read_bytes())


def finetune(model: Path, init: str, seed: int, out: Path, extra: list[str], reuse: bool = False) -> dict:
    """One `araft train experiment=anercorp_tiny` run; its headline figures."""
    from araft.config import compose
    from araft.run import run_training
    from araft.rundir import RunDir

    overrides = ["experiment=anercorp_tiny", f"seed={seed}", f"model.random_init={INITS[init]}",
                 "tracking=none", *extra]
    cfg = compose([*overrides, f"model.name_or_path={model}", f"paths.output_root={out}"],
                  root=str(ROOT))
    run_dir = out / f"{init}-seed{seed}"
    if reuse and init == "random" and reusable_random_run(run_dir, cfg, model):
        print(f"reusing {run_dir} (same settings, architecture and vocabulary)", flush=True)
        run = RunDir(run_dir)
        metrics, wall = run.metrics(), run.info().durations_s["total"]
    else:
        t0 = time.time()
        metrics = run_training(cfg, run_dir)
        wall = time.time() - t0
    dev, seed_split = metrics["splits"]["dev"], metrics["splits"].get("seed", {})
    return {"init": init, "seed": seed, "dev_f1": dev["micro_f1"], "dev_ci": dev["ci"]["micro_f1"],
            "seed_f1": seed_split.get("micro_f1", float("nan")),
            "command": "araft train " + " ".join(overrides), "wall": f"{wall:.0f} s",
            "recipe": {"epochs": cfg.trainer.epochs, "lr": cfg.trainer.lr, "batch_size": cfg.trainer.batch_size}}


def paired_gap(out: Path, seed: int) -> dict:
    """Pretrained minus random on the same dev sentences (paired bootstrap, `araft compare`'s test).

    The per-run intervals are wide (about +-0.035) because they carry the sampling noise of the dev
    set; pairing removes what both runs share, so this interval is the one that says "better"."""
    from araft.reporting.compare import compare_runs

    cmp = compare_runs([out / f"random-seed{seed}", out / f"pretrained-seed{seed}"])
    dev = next(s for s in cmp.splits if s.split == "dev")
    d = dev.deltas[1]["micro_f1"]
    return {"seed": seed, "delta": d["delta"], "ci": [d["low"], d["high"]], "p_value": d["p_value"],
            "sentences": dev.n_sentences}


def summarise(runs: list[dict]) -> list[dict]:
    """One row per init: the first seed's run with its CI, plus the mean and spread over seeds."""
    rows = []
    for init in INITS:
        mine = [r for r in runs if r["init"] == init]
        if not mine:
            continue
        f1s = [r["dev_f1"] for r in mine]
        row = dict(mine[0])
        row["seeds"] = [r["seed"] for r in mine]
        row["dev_f1_per_seed"] = f1s
        row["dev_f1_mean"] = statistics.fmean(f1s)
        row["dev_f1_sd"] = statistics.stdev(f1s) if len(f1s) > 1 else 0.0
        rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", type=Path, default=ROOT / "models" / "arabert-mini-news")
    ap.add_argument("--seeds", type=int, nargs="+", default=[42, 43, 44])
    ap.add_argument("--out", type=Path, default=ROOT / "outputs" / "tiny-finetune")
    ap.add_argument("--init", choices=list(INITS), nargs="+", default=list(INITS))
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="an override for both sides (repeatable), e.g. --set trainer.lr=2e-4")
    ap.add_argument("--reuse-random", action="store_true",
                    help="keep random-init runs already in --out when settings, architecture and "
                         "vocabulary are unchanged (they do not depend on the pretrained weights)")
    ap.add_argument("--record", action="store_true",
                    help="write the rows into the model's training_log.json and re-render its card")
    args = ap.parse_args(argv)
    runs = [finetune(args.model.resolve(), init, seed, args.out, args.set, args.reuse_random)
            for seed in args.seeds for init in args.init]
    for r in runs:
        lo, hi = r["dev_ci"]
        print(f"{r['init']:<10} seed {r['seed']}: dev micro F1 {r['dev_f1']:.3f} [{lo:.3f}, {hi:.3f}]"
              f"  seed article {r['seed_f1']:.3f}  ({r['wall']})")
    rows = summarise(runs)
    if len(rows) < 2:
        return 0
    for row in rows:
        print(f"{row['init']:<10} mean over seeds {row['seeds']}: {row['dev_f1_mean']:.3f} "
              f"(sd {row['dev_f1_sd']:.3f})")
    gap = rows[0]["dev_f1_mean"] - rows[1]["dev_f1_mean"]
    print(f"pretrained - random: {gap:+.3f} dev micro F1 (mean over {len(args.seeds)} seed(s))")
    rows[0]["paired"] = [paired_gap(args.out, seed) for seed in args.seeds]
    for g in rows[0]["paired"]:
        print(f"  seed {g['seed']}: paired {g['delta']:+.3f} [{g['ci'][0]:+.3f}, {g['ci'][1]:+.3f}], "
              f"p = {g['p_value']:.3f}")
    if args.record:
        from scripts.tiny_model.card import record

        print(f"recorded in {record(args.model, finetune=rows)} and {args.model / 'README.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
