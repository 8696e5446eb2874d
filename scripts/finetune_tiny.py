"""What pretraining buys: fine-tune the tiny model and the same architecture from random weights.

    .venv/bin/python scripts/finetune_tiny.py                       # 3 seeds x 2 inits, ~11 min on 2 cores
    .venv/bin/python scripts/finetune_tiny.py --seeds 42 --record   # and write the model card

Both sides run `experiment=anercorp_tiny` (the `make run` job: ANERcorp train -> dev, 3 epochs,
lr 5e-4) with the same seed; the only difference is `model.random_init`. Prints dev entity micro F1
with its bootstrap CI per run, the mean and spread over seeds, and with --record stores the rows in
the model's training_log.json ("finetune") and re-renders its README.md.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

INITS = {"pretrained": "false", "random": "true"}


def finetune(model: Path, init: str, seed: int, out: Path, extra: list[str]) -> dict:
    """One `araft train experiment=anercorp_tiny` run; its headline figures."""
    from araft.config import compose
    from araft.runner import run_training

    overrides = ["experiment=anercorp_tiny", f"seed={seed}", f"model.random_init={INITS[init]}",
                 "tracking=none", *extra]
    cfg = compose([*overrides, f"model.name_or_path={model}", f"paths.output_root={out}"],
                  root=str(ROOT))
    t0 = time.time()
    metrics = run_training(cfg, out / f"{init}-seed{seed}")
    dev, seed_split = metrics["splits"]["dev"], metrics["splits"].get("seed", {})
    return {"init": init, "seed": seed, "dev_f1": dev["micro_f1"], "dev_ci": dev["ci"]["micro_f1"],
            "seed_f1": seed_split.get("micro_f1", float("nan")),
            "command": "araft train " + " ".join(overrides),
            "wall": f"{time.time() - t0:.0f} s"}


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
    ap.add_argument("--model", type=Path, default=ROOT / "models" / "arabert-tiny")
    ap.add_argument("--seeds", type=int, nargs="+", default=[42, 43, 44])
    ap.add_argument("--out", type=Path, default=ROOT / "outputs" / "tiny-finetune")
    ap.add_argument("--init", choices=list(INITS), nargs="+", default=list(INITS))
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="an override for both sides (repeatable), e.g. --set trainer.lr=2e-4")
    ap.add_argument("--record", action="store_true",
                    help="write the rows into the model's training_log.json and re-render its card")
    args = ap.parse_args(argv)
    runs = [finetune(args.model.resolve(), init, seed, args.out, args.set)
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
    if args.record:
        from tiny_model.card import rewrite_card

        log_path = args.model / "training_log.json"
        log = json.loads(log_path.read_text(encoding="utf-8"))
        log["finetune"] = rows
        log_path.write_text(json.dumps(log, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        rewrite_card(args.model)
        print(f"recorded in {log_path} and {args.model / 'README.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
