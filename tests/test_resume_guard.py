"""Issue 18, cases 3 and 4: `resume=` keeps its word. Overrides that change the run are refused
with the list of differences, before anything in the run directory is written, so the run can
still be resumed as it was; `resume_allow=safe` applies changes that leave the trained weights
alone, and the run records them. (A resumed run's run.json: tests/test_resume_kill.py.)"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from araft.cli import main
from conftest import ROOT


@pytest.fixture
def prepared_run(tmp_path, monkeypatch) -> Path:
    """A run directory as `araft train` leaves it, without training (prepare_only)."""
    monkeypatch.chdir(ROOT)
    assert main(["train", "experiment=seed_overfit", "trainer.bootstrap=20", "prepare_only=true",
                 f"paths.output_root={tmp_path / 'out'}", f"paths.cache_dir={tmp_path / 'cache'}"]) == 0
    [run] = [p.parent for p in (tmp_path / "out").rglob("resolved_config.json")]
    return run


def _snapshot(run: Path) -> dict[str, bytes]:
    return {str(p.relative_to(run)): p.read_bytes() for p in sorted(run.rglob("*")) if p.is_file()
            and p.name not in ("train.log", ".araft.lock")}


def _refused(capsys, *needles: str) -> str:
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "Traceback" not in err, err
    assert err.startswith("araft train: error: resume=") and "change the run" in err
    for needle in needles:
        assert needle in err, err
    return err


def test_changes_to_the_run_are_refused_and_nothing_is_written(prepared_run, tmp_path, capsys):
    before = _snapshot(prepared_run)
    other = tmp_path / "other.conll"
    other.write_text("x O\n", encoding="utf-8")
    cases = [(["trainer.lr=0.001"], ["trainer.lr: 0.0003 -> 0.001", "start a new run"]),
             ([f"data.train={other}"], ["data.train:", str(other)]),
             (["data=anercorp"], ["data.name: 'seed' -> 'anercorp'"]),
             (["seed=7", "model.dropout=0.0"], ["seed: 42 -> 7", "model.dropout"]),
             (["trainer.lr=0.001", "resume_allow=safe"], ["trainer.lr"])]
    for overrides, needles in cases:
        assert main(["train", f"resume={prepared_run}", *overrides]) == 2
        _refused(capsys, *needles)
        assert _snapshot(prepared_run) == before  # .hydra/overrides.yaml included
    # the run still resumes as it was (prepare_only was one of its overrides)
    assert main(["train", f"resume={prepared_run}"]) == 0
    [record] = json.loads((prepared_run / "resumes.json").read_text())
    assert record["changes"] == {} and record["from_step"] == 0


def test_safe_changes_need_the_flag_and_are_recorded(prepared_run, capsys):
    before = _snapshot(prepared_run)
    assert main(["train", f"resume={prepared_run}", "trainer.bootstrap=50"]) == 2
    _refused(capsys, "trainer.bootstrap: 20 -> 50", "resume_allow=safe")
    assert _snapshot(prepared_run) == before
    assert main(["train", f"resume={prepared_run}", "trainer.bootstrap=50", "data.extra_eval={}",
                 "resume_allow=safe"]) == 0
    [record] = json.loads((prepared_run / "resumes.json").read_text())
    assert record["changes"] == {"trainer.bootstrap": [20, 50]}
    resolved = json.loads((prepared_run / "resolved_config.json").read_text())
    assert resolved["trainer"]["bootstrap"] == 50
    saved = (prepared_run / ".hydra" / "overrides.yaml").read_text()
    assert "trainer.bootstrap=50" in saved and "resume_allow" not in saved


def test_resume_allow_without_resume_is_an_error(capsys):
    assert main(["train", "resume_allow=safe"]) == 2
    assert "resume_allow= only goes with resume=RUN" in capsys.readouterr().err
