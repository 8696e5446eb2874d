"""Issue 18, case 1: one process group owns a run directory. A second `araft train` on the same
hydra.run.dir fails at once with one line and leaves the directory as it was; a lock left by a
process that died is taken over."""
from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT, SUBPROCESS_ENV


def test_a_second_train_on_a_locked_run_dir_fails_at_once(tmp_path):
    from araft.runlock import RunLock

    run = tmp_path / "run"
    (run / ".hydra").mkdir(parents=True)
    (run / ".hydra" / "overrides.yaml").write_text("- trainer.lr=3e-4\n")
    with RunLock(run):  # this test process plays the first `araft train`
        proc = subprocess.run(
            [sys.executable, "-m", "araft.cli", "train", "experiment=seed_overfit",
             f"hydra.run.dir={run}", f"paths.cache_dir={tmp_path / 'cache'}"],
            cwd=ROOT, env=SUBPROCESS_ENV, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2, proc.stderr[-2000:]
    lines = [line for line in proc.stderr.splitlines() if line.startswith("araft train: error:")]
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert f"in use by another araft process (pid {os.getpid()}" in lines[0]
    assert (run / ".hydra" / "overrides.yaml").read_text() == "- trainer.lr=3e-4\n"  # untouched
    assert sorted(p.name for p in run.iterdir()) == [".araft.lock", ".hydra", "train.log"]
    assert "in use by another araft process" in (run / "train.log").read_text()


def test_the_lock_is_released_and_a_dead_owner_is_taken_over(tmp_path, caplog):
    import json
    import logging

    from araft.runlock import LOCK_FILE, RunLock

    run = tmp_path / "run"
    with RunLock(run):
        pass
    RunLock(run).acquire().release()  # released on exit: the next owner gets it
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (run / LOCK_FILE).write_text(json.dumps({"pid": dead.pid, "host": os.uname().nodename}))
    with caplog.at_level(logging.INFO, logger="araft.runlock"):
        with RunLock(run):
            assert json.loads((run / LOCK_FILE).read_text())["pid"] == os.getpid()
    assert f"taking over the lock of pid {dead.pid}" in caplog.text


def test_workers_of_the_launcher_do_not_take_the_lock(tmp_path, monkeypatch):
    from araft.runlock import OWNER_ENV, owned_by_launcher

    run = tmp_path / "run"
    run.mkdir()
    assert not owned_by_launcher(run)
    monkeypatch.setenv(OWNER_ENV, str(run))
    assert owned_by_launcher(run)
    assert not owned_by_launcher(tmp_path / "other")
