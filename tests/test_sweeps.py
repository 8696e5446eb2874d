"""Sweeps without training: search space, trial overrides, sweep summary, plugin discovery."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from araft.errors import ConfigError
from araft.sweeps import collect_jobs, dev_objective, write_summary
from araft.sweeps.space import build_space, dimension_from_mapping, to_override

from conftest import ROOT


@pytest.fixture(scope="module")
def parser():
    from hydra.core.override_parser.overrides_parser import OverridesParser

    return OverridesParser.create()


def test_space_from_config_and_command_line(parser):
    import optuna

    params = {"trainer.lr": {"type": "float", "low": 1e-5, "high": 1e-3, "log": True},
              "trainer.batch_size": {"type": "categorical", "choices": [8, 16]},
              "trainer.warmup_ratio": "interval(0.0, 0.2)",
              "trainer.weight_decay": {"type": "float", "low": 0.0, "high": 0.1}}
    args = ["experiment=seed_overfit", "trainer.epochs=range(2,5)", "model=arabert-tiny,camelbert-msa",
            "trainer.weight_decay=0.05"]
    space = build_space(params, args, parser)
    names = [d.name for d in space.dimensions]
    # a fixed value on the command line takes weight_decay out of the search
    assert names == ["trainer.lr", "trainer.batch_size", "trainer.warmup_ratio", "trainer.epochs", "model"]
    assert space.fixed == ("experiment=seed_overfit", "trainer.weight_decay=0.05")
    epochs = space.dimensions[3]
    assert (epochs.kind, epochs.low, epochs.high, epochs.step) == ("int", 2, 4, 1)

    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=3))
    trial = study.ask()
    overrides = space.suggest(trial)
    values = dict(o.split("=", 1) for o in overrides)
    assert 1e-5 <= float(values["trainer.lr"]) <= 1e-3
    assert values["trainer.batch_size"] in ("8", "16")
    assert 2 <= int(values["trainer.epochs"]) <= 4
    assert values["model"] in ("arabert-tiny", "camelbert-msa")
    # every override is valid Hydra syntax and gives back the value optuna chose
    for o in parser.parse_overrides(overrides[2:]):
        assert o.value() == trial.params[o.get_key_element()]


def test_log_interval_tag_and_bad_specs(parser):
    space = build_space({}, ["trainer.lr=tag(log,interval(1e-5,1e-3))"], parser)
    assert space.dimensions[0].log and space.dimensions[0].kind == "float"
    for bad in ({"type": "float", "low": 1.0}, {"type": "uniform", "low": 0, "high": 1},
                {"type": "categorical", "choices": []}, {"type": "float", "low": 0, "high": 1, "log": True},
                {"type": "float", "low": 0, "high": 1, "stepp": 0.1}):
        with pytest.raises(ConfigError):
            dimension_from_mapping("trainer.lr", bad)
    with pytest.raises(ConfigError, match="empty"):
        build_space({}, ["trainer.lr=1e-4"], parser)


def test_to_override_quotes_only_when_needed(parser):
    assert to_override("trainer.lr", 3e-05) == "trainer.lr=3e-05"
    assert to_override("model", "arabertv02-base") == "model=arabertv02-base"
    assert to_override("trainer.group_by_length", True) == "trainer.group_by_length=true"
    odd = to_override("experiment_name", "a b,c's")
    assert parser.parse_override(odd).value() == "a b,c's"


def test_dev_objective():
    assert dev_objective({"splits": {"dev": {"micro_f1": 0.5}}}) == 0.5
    assert dev_objective({"splits": {"test": {"micro_f1": 0.5}}}) is None
    assert dev_objective({"splits": {"dev": {"micro_f1": float("nan")}}}) is None
    assert dev_objective(None) is None
    # a joint run: the mean over the layers its dev annotates (as its model selection)
    joint = {"task": "joint", "splits": {"dev": {"entities": {"micro_f1": 0.6},
                                                 "sentences": {"micro_f1": 0.8}}}}
    assert dev_objective(joint) == pytest.approx(0.7)
    joint["splits"]["dev"].pop("sentences")
    assert dev_objective(joint) == pytest.approx(0.6)


def _fake_job(sweep: Path, num: int, lr: str, dev: float | None) -> None:
    job = sweep / str(num)
    (job / ".hydra").mkdir(parents=True)
    (job / ".hydra" / "overrides.yaml").write_text(
        yaml.safe_dump(["experiment=seed_overfit", f"trainer.lr={lr}"]))
    if dev is not None:
        split = {"micro_f1": dev, "macro_f1": dev / 2, "ci": {"micro_f1": [dev - 0.1, dev + 0.1]}}
        (job / "metrics.json").write_text(json.dumps(
            {"splits": {"dev": split, "test": {**split, "micro_f1": dev - 0.05}}}))


def test_summary_table_from_a_sweep_directory(tmp_path):
    sweep = tmp_path / "multirun_x"
    for num, lr, dev in ((0, "1e-4", 0.61), (1, "3e-4", 0.72), (2, "1e-3", None), (10, "3e-3", 0.4)):
        _fake_job(sweep, num, lr, dev)
    (sweep / "not_a_job").mkdir()
    rows = collect_jobs(sweep)
    assert [r["job"] for r in rows] == ["0", "1", "2", "10"]  # numeric order, non-jobs skipped
    assert rows[1]["swept"] == ["trainer.lr=3e-4"]
    assert rows[2]["status"] == "incomplete" and rows[2]["objective"] is None
    paths = write_summary(sweep)
    summary = json.loads(paths.json.read_text())
    assert summary["best_job"] == "1" and len(summary["jobs"]) == 4
    md = paths.markdown.read_text()
    assert "| 1 | `trainer.lr=3e-4` | 0.720 [0.620, 0.820] | 0.670 [0.620, 0.820] | done | 1/ |" in md
    assert "Shared overrides: `experiment=seed_overfit`" in md
    assert "| 2 | `trainer.lr=1e-3` | – | – | incomplete | 2/ |" in md
    from araft.sweeps.__main__ import main

    paths.json.unlink()
    assert main([str(sweep)]) == 0 and paths.json.is_file()  # python -m araft.sweeps SWEEP_DIR


def test_optuna_sweeper_plugin_is_discovered_and_configured():
    """hydra_plugins.araft_optuna is found from the editable install and hparams_search=optuna
    selects it, in multirun mode, with its search space."""
    from hydra import compose, initialize_config_dir
    from hydra.core.plugins import Plugins
    from hydra.plugins.sweeper import Sweeper

    from araft.config import register_hydra

    names = [f"{c.__module__}.{c.__name__}" for c in Plugins.instance().discover(Sweeper)]
    assert "hydra_plugins.araft_optuna.optuna_sweeper.AraftOptunaSweeper" in names
    register_hydra()
    with initialize_config_dir(version_base="1.3", config_dir=str(ROOT / "configs")):
        cfg = compose("train", overrides=["hparams_search=optuna", "experiment=seed_overfit",
                                          f"paths.root={ROOT}"], return_hydra_config=True)
    assert cfg.hydra.sweeper._target_.endswith("AraftOptunaSweeper")
    assert str(cfg.hydra.mode) == "RunMode.MULTIRUN"
    assert cfg.hydra.sweeper.params["trainer.lr"]["log"] is True
    assert "/seed_overfit/optuna_" in cfg.hydra.sweep.dir
    assert cfg.hydra.callbacks.sweep_summary._target_ == "araft.sweeps.callback.SweepSummaryCallback"


def test_resumed_study_fails_trials_left_running(tmp_path):
    """A sweep killed mid-trial leaves it RUNNING in optuna.db; the next sweep in that directory
    marks it failed so the study counts it as finished and asks for new trials."""
    import optuna

    from araft.sweeps.optuna_sweeper import STUDY_DB, OptunaSweeper

    storage = f"sqlite:///{tmp_path / STUDY_DB}"
    first = optuna.create_study(storage=storage, study_name="s", direction="maximize")
    done = first.ask()
    done.suggest_float("trainer.lr", 1e-5, 1e-3)
    first.tell(done, 0.5)
    first.ask()  # the kill happens here
    study = OptunaSweeper(n_trials=3, study_name="s")._study(tmp_path)
    assert [t.state.name for t in study.trials] == ["COMPLETE", "FAIL"]
    assert study.best_value == 0.5
