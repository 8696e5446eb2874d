"""Issue 18, cases 2 and 5: a model folder is whole or refused with one line naming it.

predict, evaluate and push check config.json, the araft settings, the weights (a truncated
model.safetensors) and the tokenizer (present, and fitting the model's vocabulary); resume skips
a checkpoint whose weights are damaged; model/ appears only whole."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from araft.cli import main
from conftest import SEED_JSONL, SEED_TXT


def _copy_run(run: Path, tmp_path: Path) -> Path:
    out = tmp_path / "run"
    shutil.copytree(run, out, ignore=shutil.ignore_patterns("checkpoints", "tb", "plots"))
    return out


def _one_line_error(capsys, *needles: str) -> str:
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err and err.count("\n") == 0, err
    for needle in needles:
        assert needle in err, err
    return err


def _truncate(path: Path, keep: float = 0.5) -> None:
    data = path.read_bytes()
    path.write_bytes(data[:int(len(data) * keep)])


@pytest.mark.parametrize("damage, needle", [
    (lambda m: (m / "tokenizer.json").unlink(), "tokenizer is missing"),
    (lambda m: _truncate(m / "model.safetensors"), "model.safetensors is truncated"),
    (lambda m: (m / "model.safetensors").write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00{not json}!!!!!!"),
     "unreadable header"),
    (lambda m: (m / "model.safetensors").unlink(), "no weights"),
])
def test_predict_and_evaluate_refuse_a_damaged_model(quick_run, tmp_path, capsys, damage, needle):
    run = _copy_run(quick_run, tmp_path)
    damage(run / "model")
    assert main(["predict", str(run), str(SEED_TXT)]) == 2
    _one_line_error(capsys, str(run / "model"), needle)
    assert main(["evaluate", str(run / "model"), "--data", str(SEED_JSONL), "--bootstrap", "5"]) == 2
    _one_line_error(capsys, str(run / "model"), needle)


def test_a_tokenizer_that_does_not_fit_the_vocabulary(quick_run, tmp_path, capsys):
    run = _copy_run(quick_run, tmp_path)
    config = json.loads((run / "model" / "config.json").read_text())
    config["vocab_size"] = config["vocab_size"] * 4
    (run / "model" / "config.json").write_text(json.dumps(config))
    assert main(["predict", str(run), str(SEED_TXT)]) == 2
    _one_line_error(capsys, "tokens but the model's vocabulary has")


def test_missing_araft_settings(quick_run, tmp_path, capsys):
    run = _copy_run(quick_run, tmp_path)
    config = json.loads((run / "model" / "config.json").read_text())
    del config["araft"]
    (run / "model" / "config.json").write_text(json.dumps(config))
    assert main(["predict", str(run), str(SEED_TXT)]) == 2
    _one_line_error(capsys, "no 'araft' settings")


def test_push_refuses_a_damaged_model(quick_run, tmp_path, capsys):
    run = _copy_run(quick_run, tmp_path)
    _truncate(run / "model" / "model.safetensors")
    assert main(["push", str(run), "--repo-id", "someone/model", "--dry-run"]) == 2
    _one_line_error(capsys, "model.safetensors is truncated")
    assert not (run / "push").exists()


def test_a_run_killed_while_writing_its_model(quick_run, tmp_path, capsys):
    """model/ is written beside the run as .model.partial and renamed: a kill leaves no model/."""
    run = _copy_run(quick_run, tmp_path)
    (run / "model").rename(run / ".model.partial")
    (run / "checkpoints").mkdir()
    assert main(["predict", str(run), str(SEED_TXT)]) == 2
    _one_line_error(capsys, str(run), "did not finish", "resume=")
    assert not list(quick_run.glob(".model.*"))  # the finished run left no staging folder


def test_resume_skips_a_checkpoint_with_damaged_weights(quick_run, tmp_path):
    from araft.checkpoints import MARKER, last_complete

    root = tmp_path / "checkpoints"
    for step in (2, 4):
        folder = root / f"checkpoint-{step}"
        folder.mkdir(parents=True)
        shutil.copy(quick_run / "model" / "model.safetensors", folder)
        (folder / MARKER).write_text("{}")
    assert last_complete(root) == root / "checkpoint-4"
    _truncate(root / "checkpoint-4" / "model.safetensors", 0.9)
    assert last_complete(root) == root / "checkpoint-2"
