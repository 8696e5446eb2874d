"""araft vs the run_ner.py recipe on the same checkpoint: ``benchmarks.quality --recipe``.

Per seed, two subprocess sides with the same budget (experiment=anercorp_tiny plus any --set, read from
araft's composed config by both): ``recipe-araft`` runs araft's own path (runner.train_and_evaluate:
windows, word-level dev selection, length grouping, checkpoints) and ``recipe-ref`` the recipe
(benchmarks/reference_recipe.py). Both time every epoch's evaluation from the start of the job (before
reading the data). The parent scores both on the same dev words and gold (araft's run directory gives
araft's words; the recipe's full-gold predictions are projected on the same words) and reports the
paired bootstrap interval of araft minus recipe (araft.metrics.paired_bootstrap), per seed and pooled
over seeds (per-sentence counts summed).
"""
from __future__ import annotations

import json
import shutil
import statistics
import time
from pathlib import Path

from benchmarks import common

QUICK = ["trainer.max_steps=10", "trainer.batch_size=8", "trainer.lr=1e-3", "trainer.bootstrap=50"]


def overrides(args, seed: int, run_dir: Path) -> list[str]:
    over = ["experiment=anercorp_tiny", f"seed={seed}", "tracking=none", "~data.extra_eval",
            f"data.train={args.train}", f"data.dev={args.dev}",
            f"paths.output_root={run_dir / 'outputs'}",
            f"paths.cache_dir={run_dir / 'cache'}"]  # a cold feature cache for every run
    return over + (QUICK if args.quick else []) + list(args.set or [])


def _config(args, run_dir: Path):
    from araft.config import compose

    return compose(overrides(args, args.seed, run_dir), root=str(common.ROOT))


def _finish(run_dir: Path, result: dict) -> dict:
    (run_dir / "result.json").write_text(json.dumps(result), encoding="utf-8")
    return {k: v for k, v in result.items() if k != "predictions"}


def side_araft(args) -> dict:
    t0, c0 = time.perf_counter(), time.process_time()
    from araft.run import train_and_evaluate

    run_dir = Path(args.recipe_run)
    cfg = _config(args, run_dir)
    clock = common.epoch_clock(t0, c0)
    metrics = train_and_evaluate(cfg, run_dir, is_main=True, callbacks=[clock])
    shutil.rmtree(run_dir / "checkpoints", ignore_errors=True)  # disk; the paired scores need predictions/
    f1s = [e.get("eval_f1", float("-inf")) for e in clock.events]
    best = f1s.index(max(f1s))  # what load_best_model_at_end keeps: the first best
    epochs = [{k: e[k] for k in ("epoch", "step", "t_s", "cpu_s", "eval_f1") if k in e}
              for e in clock.events]
    return _finish(run_dir, {"epochs": epochs, "best": best, "time_to_best_s": epochs[best]["t_s"],
                             "cpu_to_best_s": epochs[best]["cpu_s"],
                             "train_end_s": epochs[-1]["t_s"], "end_s": time.perf_counter() - t0,
                             "dev_f1": metrics["splits"]["dev"]["micro_f1"],
                             "steps": metrics["log_history"][-1].get("step"),
                             "overrides": overrides(args, args.seed, run_dir)})


def side_ref(args) -> dict:
    t0, c0 = time.perf_counter(), time.process_time()
    from benchmarks import reference_recipe

    run_dir = Path(args.recipe_run)
    cfg = _config(args, run_dir)
    res = reference_recipe.run(args.train, args.dev, Path(cfg.model.name_or_path),
                               reference_recipe.Budget.from_config(cfg), run_dir, t0=t0, c0=c0)
    shutil.rmtree(run_dir / "trainer", ignore_errors=True)
    return _finish(run_dir, {**res, "end_s": time.perf_counter() - t0,
                             "overrides": overrides(args, args.seed, run_dir)})


SIDES = {"recipe-araft": side_araft, "recipe-ref": side_ref}


def run_side(args, side: str, seed: int, out: Path, argv: list[str]) -> dict:
    """One side for one seed in its own interpreter; an earlier result in the same folder with the
    same overrides is reused (a long comparison can be resumed)."""
    run_dir = out / f"{side}-seed{seed}"
    done = run_dir / "result.json"
    if done.is_file():
        old = json.loads(done.read_text(encoding="utf-8"))
        if old.get("overrides") == overrides(args, seed, run_dir):
            print(f"   reusing {run_dir}", flush=True)
            return old
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    common.spawn("benchmarks.quality", side, [*argv, "--seed", str(seed), "--recipe-run", str(run_dir)],
                 timeout=4 * 3600)
    return json.loads(done.read_text(encoding="utf-8"))


def paired(araft_run: Path, ref_predictions: list[list[str]], dev: Path):
    """(araft counts, recipe counts) on the same dev sentences, words and gold."""
    from araft.metrics import entity_counts
    from araft.reporting.collect import load_run
    from araft.corpus.tags import repair_iob2
    from benchmarks.data_path import read_conll

    sents = load_run(araft_run).splits["dev"].sentences
    words = [[s.text[a:b] for a, b in s.words] for s in sents]
    if words != [w for w, _ in read_conll(dev)] or list(map(len, words)) != list(map(len, ref_predictions)):
        raise AssertionError("araft's dev words and the recipe's differ")
    gold = [s.gold_tags for s in sents]
    types = sorted(common.ENTITY_TYPES)
    return (entity_counts(gold, [s.pred_tags for s in sents], types=types),
            entity_counts(gold, [repair_iob2(p) for p in ref_predictions], types=types))


def _verdict(d: dict) -> str:
    if d["low"] > 0:
        return "araft better"
    return "araft worse" if d["high"] < 0 else "no difference shown"


def section(args, train: Path, dev: Path, out: Path) -> dict:
    """Both methods for every seed (sides interleaved), then the paired scores; prints the table."""
    from araft.metrics import EntityCounts, paired_bootstrap, scores_from_counts

    n_boot = 200 if args.quick else 1000
    out = Path(out).resolve()  # the sides run from the repository root
    argv = ["--train", str(train), "--dev", str(dev), *(["--quick"] if args.quick else []),
            *[x for item in args.set or [] for x in ("--set", item)]]
    common.header("quality: araft vs the run_ner.py recipe, same checkpoint (make run's model), ANERcorp dev",
                  f"experiment=anercorp_tiny{' (quick: 10 steps)' if args.quick else ''} "
                  f"{' '.join(args.set or [])} on both; seeds {' '.join(map(str, args.seeds))}; runs in {out}")
    rows, counts, order = [], {"a": [], "r": []}, list(SIDES)
    for seed in args.seeds:
        res = {side: run_side(args, side, seed, out, argv) for side in order}
        order.reverse()  # A B, B A, ...: drift in machine load hits both sides alike
        a, r = res["recipe-araft"], res["recipe-ref"]
        ca, cr = paired(out / f"recipe-araft-seed{seed}", r["predictions"], dev)
        counts["a"].append(ca)
        counts["r"].append(cr)
        d = paired_bootstrap(ca, cr, n_resamples=n_boot, seed=0)["micro_f1"]
        rows.append({"seed": seed, "araft_f1": scores_from_counts(ca)["micro_f1"],
                     "recipe_full_f1": scores_from_counts(cr)["micro_f1"],
                     "recipe_own_f1": r["epochs"][r["best"]]["recipe_f1"], "paired": d,
                     **{f"{k}_{m}": s[m] for k, s in (("araft", a), ("recipe", r))
                        for m in ("time_to_best_s", "cpu_to_best_s", "train_end_s", "end_s", "steps",
                                  "best")},
                     "araft_epochs": a["epochs"], "recipe_epochs": r["epochs"],
                     "araft_run": str(out / f"recipe-araft-seed{seed}")})
    types = counts["a"][0].types
    pooled = paired_bootstrap(*(EntityCounts(sum(c.counts for c in counts[k]), types) for k in "ar"),
                              n_resamples=n_boot, seed=0)["micro_f1"]
    trunc = {k: r[k] for k in ("dev_truncation", "train_truncation")}
    mean = {k: statistics.fmean(w[k] for w in rows)
            for k in ("araft_f1", "recipe_full_f1", "recipe_own_f1", "araft_time_to_best_s",
                      "recipe_time_to_best_s", "araft_cpu_to_best_s", "recipe_cpu_to_best_s",
                      "araft_train_end_s", "recipe_train_end_s")}
    print_table(rows, mean, pooled, trunc)
    ratio = mean["araft_f1"] / max(mean["recipe_full_f1"], 1e-9)
    met = common.ratio_line("quality-recipe", ratio, "araft/recipe dev entity micro F1 (mean of seeds)", 1.0)
    return {"rows": rows, "mean": mean, "pooled": pooled, "verdict": _verdict(pooled), **trunc,
            "ratio": ratio, "target_met": met and pooled["high"] >= 0}


def _to_best(w: dict, side: str) -> str:
    epoch = f" (epoch {w[side + '_best'] + 1})" if side + "_best" in w else ""
    return f"{w[side + '_time_to_best_s']:.0f} s, CPU {w[side + '_cpu_to_best_s']:.0f} s{epoch}"


def print_table(rows: list[dict], mean: dict, pooled: dict, trunc: dict) -> None:
    print(f"   {'seed':>5} {'araft F1':>9} {'recipe F1':>10} {'recipe own':>11}   "
          f"{'araft - recipe [95% CI]':<26}{'p':>7}   to best F1: araft | recipe")
    for w in rows:
        d = w["paired"]
        print(f"   {w['seed']:>5} {w['araft_f1']:>9.3f} {w['recipe_full_f1']:>10.3f} "
              f"{w['recipe_own_f1']:>11.3f}   {d['delta']:+.3f} [{d['low']:+.3f}, {d['high']:+.3f}]"
              f"{d['p_value']:>9.3f}   {_to_best(w, 'araft')} | {_to_best(w, 'recipe')}")
    print(f"   {'mean':>5} {mean['araft_f1']:>9.3f} {mean['recipe_full_f1']:>10.3f} "
          f"{mean['recipe_own_f1']:>11.3f}   {'':<35}   {_to_best(mean, 'araft')} | {_to_best(mean, 'recipe')}")
    print(f"   pooled over seeds (counts summed per sentence): araft - recipe {pooled['delta']:+.3f} "
          f"[{pooled['low']:+.3f}, {pooled['high']:+.3f}], p {pooled['p_value']:.3f}: {_verdict(pooled)}")
    print("   recipe F1: its predictions on the full dev gold, words it never saw predicted O (araft's "
          "scorer); recipe own: run_ner.py's seqeval figure on its truncated tokens; times from the "
          "start of the job (data, model, training, dev evaluation each epoch)")
    print(f"   training: araft {rows[0]['araft_steps']} steps, ends at {mean['araft_train_end_s']:.0f} s; "
          f"recipe {rows[0]['recipe_steps']} steps, ends at {mean['recipe_train_end_s']:.0f} s (mean)")
    for split, t in trunc.items():
        print(f"   recipe's truncation, {split.split('_')[0]}: {t['sentences_cut']} of {t['sentences']} "
              f"sentences cut at max_length, {t['words_cut']:,} of {t['words']:,} words past the cut "
              f"({t['words_lost']:,} never labelled with the words without subwords); "
              f"{t['entities_cut']} of {t['entities']:,} gold entities lose a word ({t['entities_lost_whole']} whole)")
