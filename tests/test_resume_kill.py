"""SIGKILL after a checkpoint, then `araft train resume=RUN_DIR`: the same final metrics as a run
that was never interrupted (same seed, same overrides)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT
from faults import KILL_BEFORE_MARKER, start, with_fault

pytestmark = pytest.mark.filterwarnings("ignore")

# Save and evaluate every 2 of 20 steps. A constant, high lr lifts dev F1 above 0 only from step
# 14 on (0.20, 0.49, 0.79, 0.70 at 14-20 with the embedded model), so the best model (the one
# scored) is trained after the resume point.
STEPS = 20
RUN = ["experiment=seed_overfit", f"trainer.max_steps={STEPS}", "trainer.eval_strategy=steps",
       "trainer.eval_steps=2", "trainer.lr=1e-3", "trainer.scheduler=constant",
       "trainer.logging_steps=1", "trainer.bootstrap=20"]
ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "OMP_NUM_THREADS": "1",
       "TOKENIZERS_PARALLELISM": "false"}


def _start(*args: str, log: Path) -> subprocess.Popen:
    # its own process group, so the kill reaches anything it started
    with open(log, "w") as fh:
        return subprocess.Popen([sys.executable, "-m", "araft.cli", "train", *args], cwd=ROOT,
                                env=ENV, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)


def _finish(proc: subprocess.Popen, log: Path) -> None:
    try:
        assert proc.wait(timeout=600) == 0, log.read_text()[-3000:]
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)


def _one_run_dir(out: Path) -> Path:
    runs = [p.parent for p in out.rglob(".hydra")]
    assert len(runs) == 1, runs
    return runs[0]


def _losses_after(metrics: dict, step: int) -> dict[int, float]:
    return {h["step"]: h["loss"] for h in metrics["log_history"] if "loss" in h and h["step"] > step}


def test_sigkill_after_a_checkpoint_then_resume_matches_an_uninterrupted_run(tmp_path):
    cache = f"paths.cache_dir={tmp_path / 'cache'}"
    # the reference and the victim run side by side: the test waits for the slower one only
    ref = _start(*RUN, f"paths.output_root={tmp_path / 'ref'}", cache, log=tmp_path / "ref.log")
    victim = _start(*RUN, f"paths.output_root={tmp_path / 'cut'}", cache, log=tmp_path / "cut.log")
    try:
        deadline = time.monotonic() + 600
        marker = None
        while marker is None and victim.poll() is None and time.monotonic() < deadline:
            marker = next((tmp_path / "cut").rglob("araft_complete.json"), None)
            time.sleep(0.05)
        assert marker is not None, (tmp_path / "cut.log").read_text()[-3000:]
        os.killpg(victim.pid, signal.SIGKILL)
        assert victim.wait(timeout=60) == -signal.SIGKILL
    finally:
        if victim.poll() is None:
            os.killpg(victim.pid, signal.SIGKILL)
    run = _one_run_dir(tmp_path / "cut")
    assert not (run / "metrics.json").exists(), "the run ended before the kill"

    resumed = _start(f"resume={run}", log=tmp_path / "resume.log")
    _finish(resumed, tmp_path / "resume.log")
    _finish(ref, tmp_path / "ref.log")

    assert _one_run_dir(tmp_path / "cut") == run  # resumed in place, no second directory
    info = json.loads((run / "run.json").read_text())
    resumed_from = info["resumed_from"]
    assert resumed_from and Path(resumed_from).parent == run / "checkpoints"
    step = int(resumed_from.rsplit("-", 1)[-1])
    assert 2 <= step < STEPS
    assert info["config"]["trainer"]["max_steps"] == STEPS  # the run's own overrides were re-applied

    got = json.loads((run / "metrics.json").read_text())
    want = json.loads((_one_run_dir(tmp_path / "ref") / "metrics.json").read_text())
    for split in want["splits"].values():
        split.pop("file")
    for split in got["splits"].values():
        split.pop("file")
    assert want["splits"]["dev"]["micro_f1"] > 0
    assert int(got["best_checkpoint"].rsplit("-", 1)[-1]) > step  # scored model trained after the kill
    assert got["splits"] == want["splits"]
    # the whole run's training loss, not only the steps after the resume (issue 18, case 9)
    assert got["train"]["train_loss"] == pytest.approx(want["train"]["train_loss"], rel=1e-6)
    # the steps trained after the resume point saw the same batches, dropout and optimizer state
    assert _losses_after(got, step) == pytest.approx(_losses_after(want, step), rel=1e-5)
    assert len(_losses_after(got, step)) == STEPS - step


# Save every 2 of 6 steps, keep one checkpoint, no evaluation (so no best checkpoint is protected).
ROTATION = ["experiment=seed_overfit", "trainer.max_steps=6", "trainer.eval_strategy=no",
            "trainer.save_strategy=steps", "trainer.save_steps=2", "trainer.save_total_limit=1",
            "trainer.lr=1e-3", "trainer.scheduler=constant", "trainer.logging_steps=1",
            "trainer.bootstrap=20", "data.extra_eval={}"]


def test_sigkill_in_the_rotation_window_keeps_the_previous_checkpoint(tmp_path):
    """Issue 18, case 7: with save_total_limit=1, a kill after checkpoint-4 is written but before
    it is marked complete. The Trainer used to delete checkpoint-2 in that window, so the resume
    started over; araft rotates only after marking, so it resumes from checkpoint-2 and ends as
    the uninterrupted run, train_loss included. The resume also changes the bootstrap
    (resume_allow=safe), which run.json records with the step it resumed from."""
    cache = f"paths.cache_dir={tmp_path / 'cache'}"
    ref = _start(*ROTATION, f"paths.output_root={tmp_path / 'ref'}", cache, log=tmp_path / "ref.log")
    victim = start(with_fault(KILL_BEFORE_MARKER, STEP=4), "train", *ROTATION,
                   f"paths.output_root={tmp_path / 'cut'}", cache, log=tmp_path / "cut.log")
    try:
        assert victim.wait(timeout=600) == -signal.SIGKILL, (tmp_path / "cut.log").read_text()[-3000:]
    finally:
        if victim.poll() is None:
            os.killpg(victim.pid, signal.SIGKILL)
    run = _one_run_dir(tmp_path / "cut")
    checkpoints = sorted(p.name for p in (run / "checkpoints").iterdir())
    assert checkpoints == ["checkpoint-2", "checkpoint-4"]  # 4 written, not yet marked
    assert not (run / "checkpoints" / "checkpoint-4" / "araft_complete.json").exists()

    resumed = _start(f"resume={run}", "trainer.bootstrap=30", "resume_allow=safe", log=tmp_path / "resume.log")
    _finish(resumed, tmp_path / "resume.log")
    _finish(ref, tmp_path / "ref.log")

    info = json.loads((run / "run.json").read_text())
    assert info["resumed_from"] == str(run / "checkpoints" / "checkpoint-2")
    [resume] = info["resumes"]
    assert resume["from_step"] == 2
    assert resume["changes"] == {"trainer.bootstrap": [20, 30]}
    assert sorted(p.name for p in (run / "checkpoints").iterdir()) == ["checkpoint-6"]
    got = json.loads((run / "metrics.json").read_text())
    want = json.loads((_one_run_dir(tmp_path / "ref") / "metrics.json").read_text())
    assert _losses_after(got, 2) == pytest.approx(_losses_after(want, 2), rel=1e-5)
    assert len(_losses_after(got, 2)) == 4
    assert got["train"]["train_loss"] == pytest.approx(want["train"]["train_loss"], rel=1e-6)
    assert got["splits"]["dev"]["micro_f1"] == want["splits"]["dev"]["micro_f1"]
