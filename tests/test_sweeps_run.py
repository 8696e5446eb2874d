"""Real sweeps of `araft train` (subprocesses, tiny runs on the seed article): two Hydra multiruns
started together keep all their outputs; an Optuna search writes its summary and best params and
resumes from its study."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

pytestmark = pytest.mark.filterwarnings("ignore")

# One training step, no checkpoints: the dev set is still scored at the end.
TINY = ["experiment=seed_overfit", "trainer.max_steps=1", "trainer.eval_strategy=no",
        "trainer.save_strategy=no", "trainer.bootstrap=20"]
ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "OMP_NUM_THREADS": "1",
       "TOKENIZERS_PARALLELISM": "false"}


def _start(args: list[str], log: Path) -> subprocess.Popen:
    with open(log, "w") as fh:
        return subprocess.Popen([sys.executable, "-m", "araft.cli", "train", *args], cwd=ROOT,
                                env=ENV, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)


def _wait(proc: subprocess.Popen, log: Path) -> None:
    try:
        assert proc.wait(timeout=600) == 0, log.read_text()[-3000:]
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)


def _train(args: list[str], log: Path) -> None:
    _wait(_start(args, log), log)


def test_two_sweeps_started_together_keep_every_job(tmp_path):
    out = tmp_path / "out"
    # The timestamp in the sweep directory name is cut to the day, so the two sweeps share it
    # for sure (as two launches in the same second do): only the run suffix keeps them apart.
    common = ["-m", *TINY, "trainer.lr=1e-4,3e-4", f"paths.output_root={out}",
              f"paths.cache_dir={tmp_path / 'cache'}",
              "hydra.sweep.dir=${paths.output_root}/${experiment_name}/multirun_${now:%Y-%m-%d}_${run_suffix:}"]
    procs = [_start([*common, f"seed={seed}"], tmp_path / f"sweep{seed}.log") for seed in (1, 2)]
    for seed, proc in zip((1, 2), procs):
        _wait(proc, tmp_path / f"sweep{seed}.log")

    sweeps = sorted((out / "seed_overfit").iterdir())
    assert len(sweeps) == 2, sweeps
    assert sweeps[0].name[:-6] == sweeps[1].name[:-6]  # same timestamp, different suffix
    seen = set()
    for sweep in sweeps:
        summary = json.loads((sweep / "summary.json").read_text())
        (seed,) = {o for o in summary["jobs"][0]["overrides"] if o.startswith("seed=")}
        jobs = {j["job"]: j for j in summary["jobs"]}
        assert sorted(jobs) == ["0", "1"]
        for num, lr in (("0", "1e-4"), ("1", "3e-4")):
            job = sweep / num
            # every job ran in its own directory, with its own overrides, and nothing overwrote it
            run = json.loads((job / "run.json").read_text())
            assert run["config"]["trainer"]["lr"] == float(lr)
            assert run["seed"] == int(seed.split("=")[1])
            assert (job / "metrics.json").is_file() and (job / "model" / "config.json").is_file()
            # Hydra writes the swept value back in its own float form (1e-4 -> 0.0001)
            assert jobs[num]["swept"] == [f"trainer.lr={float(lr)}"] and jobs[num]["status"] == "done"
            assert jobs[num]["run_dir"] == str(job.resolve())
            seen.add(job.resolve())
        md = (sweep / "summary.md").read_text()
        assert "| 1 | `trainer.lr=0.0003` |" in md and "dev micro F1 [95% CI]" in md
    assert len(seen) == 4


def test_optuna_search_writes_summary_best_params_and_resumes(tmp_path):
    import optuna

    # A sweep on the command line (batch size 8 or 16 replaces the config's choices) needs -m.
    args = ["-m", "hparams_search=optuna", *TINY, f"paths.output_root={tmp_path / 'out'}",
            f"paths.cache_dir={tmp_path / 'cache'}", "trainer.batch_size=8,16"]
    _train([*args, "hydra.sweeper.n_trials=1"], tmp_path / "first.log")
    (sweep,) = (tmp_path / "out" / "seed_overfit").iterdir()
    assert sweep.name.startswith("optuna_")
    # same command, same sweep directory, more trials: the study continues from optuna.db
    _train([*args, "hydra.sweeper.n_trials=2", f"hydra.sweep.dir={sweep}"], tmp_path / "again.log")

    study = optuna.load_study(study_name="seed_overfit", storage=f"sqlite:///{sweep / 'optuna.db'}")
    trials = sorted(study.trials, key=lambda t: t.number)
    assert [t.state.name for t in trials] == ["COMPLETE", "COMPLETE"]
    summary = json.loads((sweep / "summary.json").read_text())
    assert [j["job"] for j in summary["jobs"]] == ["0", "1"]  # job directory = trial number
    for trial, job in zip(trials, summary["jobs"]):
        assert job["objective"] == pytest.approx(trial.value)
        assert trial.params["trainer.batch_size"] in (8, 16)
        assert f"trainer.batch_size={trial.params['trainer.batch_size']}" in job["overrides"]
        assert 1e-5 <= trial.params["trainer.lr"] <= 3e-4
        metrics = json.loads((sweep / job["job"] / "metrics.json").read_text())
        assert metrics["splits"]["dev"]["micro_f1"] == pytest.approx(trial.value)

    best = yaml.safe_load((sweep / "best_params.yaml").read_text())
    assert best["n_complete"] == 2 and best["best"]["trial"] == study.best_trial.number
    assert best["best"]["value"] == pytest.approx(max(t.value for t in trials))
    assert best["best"]["params"] == study.best_trial.params
    assert "hparams_search=optuna" not in best["best"]["overrides"]  # reruns as a single run
    assert f"trainer.lr={study.best_trial.params['trainer.lr']!r}" in best["best"]["overrides"]
    assert "Best dev micro F1: job" in (sweep / "summary.md").read_text()
