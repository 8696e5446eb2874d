"""Objective comparison for the news encoder: fine-tune each pair of snapshots saved at the same
pretraining time by the RTD and MLM builds, and record the curve in the kept model's card.

    .venv/bin/python -m scripts.news_model_eval --rtd build/trial_rtd.work --mlm build/trial_mlm.work
    .venv/bin/python -m scripts.news_model_eval ... --record models/arabert-mini-news

Each snapshot runs the `make run` job (`experiment=anercorp_tiny`, seed 42) through
scripts.finetune_tiny's `finetune`; runs already in --out are reused. "paired" is RTD minus MLM on
the same dev sentences (`araft compare`'s paired bootstrap).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def snapshots(work: Path) -> dict[str, Path]:
    """name -> folder, the final encoder named by its wall time like the snapshots."""
    found = {p.name: p for p in sorted((work / "snapshots").glob("t*min")) if (p / "config.json").is_file()}
    final = work / "final"
    if (final / "training_log.json").is_file():
        log = json.loads((final / "training_log.json").read_text(encoding="utf-8"))
        found[f"t{round(log['pretrain_wall_s'] / 60):03d}min"] = final
    return found


def run_one(model: Path, out: Path, seed: int, extra: list[str]) -> dict:
    from scripts.finetune_tiny import finetune

    run = out / f"pretrained-seed{seed}"
    if (run / "metrics.json").is_file():  # reuse: a snapshot never changes
        m = json.loads((run / "metrics.json").read_text(encoding="utf-8"))["splits"]["dev"]
        return {"dev_f1": m["micro_f1"], "dev_ci": m["ci"]["micro_f1"], "run": str(run)}
    r = finetune(model.resolve(), "pretrained", seed, out, extra)
    return {"dev_f1": r["dev_f1"], "dev_ci": r["dev_ci"], "run": str(run)}


def paired(a: str, b: str) -> dict:
    from araft.reporting.compare import compare_runs

    cmp = compare_runs([Path(b), Path(a)])
    dev = next(s for s in cmp.splits if s.split == "dev")
    d = dev.deltas[1]["micro_f1"]
    return {"delta": d["delta"], "ci": [d["low"], d["high"]], "p_value": d["p_value"]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rtd", type=Path, required=True, help="work folder of the RTD build")
    ap.add_argument("--mlm", type=Path, required=True, help="work folder of the MLM build")
    ap.add_argument("--out", type=Path, default=ROOT / "outputs" / "objective-comparison")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--only", nargs="*", default=None, help="snapshot names to run, e.g. t018min")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    ap.add_argument("--record", type=Path, default=None, help="model folder whose card gets the curve")
    args = ap.parse_args(argv)
    snaps = {"rtd": snapshots(args.rtd), "mlm": snapshots(args.mlm)}
    points = []
    for name in sorted(set(snaps["rtd"]) | set(snaps["mlm"])):
        if args.only and name not in args.only:
            continue
        point: dict = {"minutes": int(name[1:4])}
        for obj in ("rtd", "mlm"):
            if name in snaps[obj]:
                point[obj] = run_one(snaps[obj][name], args.out / obj / name, args.seed, args.set)
        if "rtd" in point and "mlm" in point:
            point["paired"] = paired(point["rtd"]["run"], point["mlm"]["run"])
        points.append(point)
        print(json.dumps(point), flush=True)
    if args.record:
        from scripts.tiny_model.card import record

        print(f"recorded in {record(args.record, objective_comparison=points)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
