"""Issue 18, case 6: a full disk ends `araft train` with one line naming the path and the
operation, train.log records it, and nothing half-written looks finished (no lone config.json in a
checkpoint or in model/, no metrics.json). ENOSPC is injected where the weights are written."""
from __future__ import annotations

import errno

import pytest

from faults import DISK_FULL_ON_WEIGHTS, start, with_fault

RUN = ["experiment=seed_overfit", "trainer.max_steps=2", "trainer.eval_strategy=no",
       "trainer.bootstrap=20", "tracking=none"]


def _error_line(log_text: str) -> str:
    lines = [line for line in log_text.splitlines() if line.startswith("araft train: error:")]
    assert len(lines) == 1 and "Traceback" not in log_text, log_text[-3000:]
    return lines[0]


def test_a_full_disk_while_writing_a_checkpoint_or_the_model(tmp_path):
    # both runs at once: the test waits for the slower one only
    cases = {"checkpoint": (1, ["trainer.save_strategy=steps", "trainer.save_steps=2"]),
             "model": (1, ["trainer.save_strategy=no"])}
    procs = {}
    for name, (fail_from, extra) in cases.items():
        procs[name] = start(with_fault(DISK_FULL_ON_WEIGHTS, FAIL_FROM=fail_from), "train", *RUN,
                            *extra, f"hydra.run.dir={tmp_path / name}",
                            f"paths.cache_dir={tmp_path / 'cache'}", log=tmp_path / f"{name}.log")
    for name, proc in procs.items():
        assert proc.wait(timeout=900) == 2, (tmp_path / f"{name}.log").read_text()[-3000:]

    run = tmp_path / "checkpoint"
    line = _error_line((tmp_path / "checkpoint.log").read_text())
    assert f"{run / 'checkpoints' / 'checkpoint-2'}: writing a checkpoint failed: No space left" in line
    assert not list((run / "checkpoints").glob("checkpoint-*"))  # the half-written one is gone
    assert "writing a checkpoint failed: No space left" in (run / "train.log").read_text()

    run = tmp_path / "model"
    line = _error_line((tmp_path / "model.log").read_text())
    assert f"{run / 'model'}: writing the model failed: No space left on device" in line
    assert "writing the model failed" in (run / "train.log").read_text()
    assert not (run / "model").exists() and not list(run.glob(".model*"))

    for run in (tmp_path / "checkpoint", tmp_path / "model"):
        assert not (run / "metrics.json").exists() and not (run / "run.json").exists()


def test_permission_and_full_disk_errors_name_path_and_operation(tmp_path, monkeypatch):
    import os

    from araft.diskio import DiskError
    from araft.rundir import write_json

    def denied(src, dst):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(dst))

    monkeypatch.setattr(os, "replace", denied)
    with pytest.raises(DiskError) as err:
        write_json(tmp_path / "metrics.json", {"a": 1})
    assert str(err.value) == f"{tmp_path / 'metrics.json'}: writing failed: Permission denied"
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind
