"""run.json typed (araft.runinfo.RunInfo, read through RunDir.info): what the writer writes reads
back the same; older or damaged files read as far as they go instead of failing a report."""
from __future__ import annotations

import json

from araft.rundir import RunDir
from araft.runinfo import DataFile, GitInfo, RunInfo, flatten


def test_round_trip_through_the_run_directory(tmp_path, compose_cfg):
    cfg = compose_cfg("task=claims", "trainer.lr=3e-5")
    info = RunInfo(cfg, GitInfo("abc", False), {"araft": "0.1.0"},
                   {"train": DataFile("/d/train.jsonl", "ff" * 32)}, 42, {"cpu_count": 2},
                   {"total": 1.5}, None, [{"step": 3}], {"s_per_step": 0.1})
    run = RunDir(tmp_path)
    run.write_info(info)
    raw = json.loads(run.run_file.read_text(encoding="utf-8"))
    assert list(raw) == ["config", "git", "packages", "data", "seed", "hardware", "durations_s",
                         "resumed_from", "resumes", "steps"]  # the order run.json always had
    back = run.info()
    assert json.loads(json.dumps(back.to_dict())) == raw  # written again, the same file
    assert back.config == cfg and back.config.task._target_ == "araft.tasks.claims.ClaimsTask"
    assert back.data["train"].sha256 == "ff" * 32 and back.git.commit == "abc"
    assert back.config_values()["trainer.lr"] == 3e-05
    assert back.config_values() == flatten(raw["config"])


def test_older_and_damaged_files_read_as_far_as_they_go(tmp_path):
    old = RunInfo.from_dict({"data": {"dev": {"path": "/d/dev.conll"}}, "seed": 7})
    assert old.config is None and old.config_error is None and old.config_values() == {}
    assert old.data["dev"] == DataFile("/d/dev.conll", "") and old.git == GitInfo()
    bad = RunInfo.from_dict({"config": {"trainer": {"lr": 1e-4}}})
    assert bad.config is None and bad.config_error
    assert RunDir(tmp_path).info() is None  # an `araft evaluate --out` directory has no run.json


def test_flatten_keeps_lists_and_empty_mappings_whole():
    assert flatten({"a": {"b": 1, "c": (1, 2), "d": {}}, "e": None}) == \
        {"a.b": 1, "a.c": [1, 2], "a.d": {}, "e": None}


def test_run_json_names_the_commit_the_run_started_from(tmp_path, compose_cfg):
    """A commit made while a run trains is not the code that trained: run.json keeps the start."""
    import dataclasses
    import subprocess

    from transformers import TrainerCallback

    from araft.run import train_and_evaluate

    repo = tmp_path / "repo"
    repo.mkdir()

    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t",
                               *args], check=True, capture_output=True, text=True).stdout.strip()

    git("init", "-q")
    (repo / "code.py").write_text("x = 1\n")
    git("add", "code.py")
    git("commit", "-q", "-m", "start")
    started = git("rev-parse", "HEAD")

    class CommitDuringTraining(TrainerCallback):
        def on_train_begin(self, args, state, control, **kwargs):
            (repo / "code.py").write_text("x = 2\n")
            git("commit", "-q", "-am", "during the run")

    cfg = compose_cfg("experiment=seed_overfit", "trainer.epochs=1", "trainer.eval_strategy=no",
                      "trainer.save_strategy=no")
    cfg = dataclasses.replace(cfg, paths=dataclasses.replace(cfg.paths, root=str(repo)))
    train_and_evaluate(cfg, tmp_path / "run", is_main=True, callbacks=[CommitDuringTraining()])
    assert git("rev-parse", "HEAD") != started  # the callback did commit
    info = json.loads((tmp_path / "run" / "run.json").read_text(encoding="utf-8"))
    assert info["git"] == {"commit": started, "dirty": False}
