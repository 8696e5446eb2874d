"""Every config composes into the typed objects (lightning-hydra-template's tests/test_configs.py),
and a config that cannot be right fails while Hydra composes it, in one line that names the key.

Options are read from the folders under configs/, so a new file is tested without touching this one.
"""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from araft.cli import main
from araft.config import (SECTIONS, DataConfig, TrainConfig, compose, normalize_overrides,
                          register_hydra)
from araft.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = ROOT / "configs"
GROUPS = sorted(p.name for p in CONFIGS.iterdir() if p.is_dir())
OPTIONS = [(group, f.stem) for group in GROUPS for f in sorted((CONFIGS / group).glob("*.yaml"))]
EXPERIMENTS = sorted(f.stem for f in (CONFIGS / "experiment").glob("*.yaml"))
# what each group's option must show in the typed config (the option's name, by convention)
SHOWN = {"model": lambda c: c.model.name, "data": lambda c: c.data.name,
         "task": lambda c: c.task.name, "tracking": lambda c: c.tracking.backend}


def test_the_config_folders_are_the_ones_documented():
    assert GROUPS == ["data", "experiment", "hparams_search", "model", "paths", "task", "tracking",
                      "trainer"]
    assert len(OPTIONS) > 30 and len(EXPERIMENTS) >= 8


@pytest.mark.parametrize(("group", "option"), OPTIONS, ids=[f"{g}={o}" for g, o in OPTIONS])
def test_every_group_option_composes_into_the_typed_config(group, option, tmp_path):
    cfg = compose([f"{group}={option}"], root=str(tmp_path))
    assert isinstance(cfg, TrainConfig)
    for name, cls in SECTIONS.items():
        assert isinstance(getattr(cfg, name), cls)
    assert cfg.paths.root == str(tmp_path)
    if group in SHOWN:
        assert SHOWN[group](cfg) == option
    assert isinstance(cfg.trainer.lr, float) and isinstance(cfg.seed, int)


@pytest.mark.parametrize("experiment", EXPERIMENTS)
def test_every_experiment_composes_and_names_its_runs(experiment, tmp_path):
    cfg = compose([f"experiment={experiment}"], root=str(tmp_path))
    assert cfg.experiment_name.startswith(experiment)
    assert all(isinstance(v, str) for v in cfg.data.extra_eval.values())
    labels = cfg.data.entity_labels or cfg.data.sentence_labels
    assert labels is None or isinstance(labels, tuple)


def test_the_schema_is_the_dataclasses():
    """One copy: the schema registered with Hydra is built from araft.config's dataclasses."""
    from hydra.core.config_store import ConfigStore
    from omegaconf import OmegaConf

    from araft.schema import SCHEMA_NAME

    register_hydra()
    node = ConfigStore.instance().load(f"{SCHEMA_NAME}.yaml").node
    assert OmegaConf.get_type(node) is TrainConfig
    for name, cls in SECTIONS.items():
        assert OmegaConf.get_type(node[name]) is cls


# -- errors at composition, through compose() -----------------------------------------------

@pytest.mark.parametrize(("override", "names"), [
    ("trainer.lr=fast", ["trainer.lr", "'fast'", "Float"]),
    ("trainer.epochs=[1,2]", ["trainer.epochs", "Float"]),
    ("seed=abc", ["seed=abc", "Integer"]),
    ("model.max_length=long", ["model.max_length", "Integer"]),
    ("trainer.shuffle=maybe", ["trainer.shuffle", "not a valid bool"]),
])
def test_a_wrong_type_fails_at_composition_naming_the_key(override, names, tmp_path):
    with pytest.raises(ConfigError) as err:
        compose([override], root=str(tmp_path))
    assert all(n in str(err.value) for n in names), err.value
    assert "\n" not in str(err.value)


def test_an_unknown_key_fails_at_composition_naming_it(tmp_path):
    with pytest.raises(ConfigError, match=r"unknown key 'trainer\.learnig_rate'"):
        compose(["trainer.learnig_rate=1e-4"], root=str(tmp_path))
    # `+KEY` adds past Hydra's own check; the typed config still refuses it
    with pytest.raises(ConfigError, match="unknown key.*'trainer': learnig_rate"):
        compose(["+trainer.learnig_rate=1e-4"], root=str(tmp_path))


def test_a_missing_experiment_lists_the_experiments(tmp_path):
    with pytest.raises(ConfigError) as err:
        compose(["experiment=anercorp_tiy"], root=str(tmp_path))
    message = str(err.value)
    assert "no experiment 'anercorp_tiy'" in message
    assert all(name in message for name in EXPERIMENTS)


def test_emptying_a_mapping_still_works_and_old_runs_overrides_still_read(tmp_path):
    assert compose([], root=str(tmp_path)).data.extra_eval  # the default data has a seed set
    assert compose(["data.extra_eval={}"], root=str(tmp_path)).data.extra_eval == {}
    # what runs saved in .hydra/overrides.yaml before the schema (a resume re-applies it)
    saved = ["~data.extra_eval", "+data.extra_eval={}", "trainer.max_steps=1"]
    assert normalize_overrides(saved) == ["data.extra_eval=null", "trainer.max_steps=1"]
    assert compose(saved, root=str(tmp_path)).data.extra_eval == {}
    assert DataConfig(name="d", train="t", label_map=None).label_map == {}


# -- the same, through the real `araft train` entry --------------------------------------------

def _train_fails(capsys, tmp_path, *argv: str) -> str:
    out = tmp_path / "outputs"
    code = main(["train", *argv, f"paths.output_root={out}"])
    captured = capsys.readouterr()
    assert code == 2
    err = captured.err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("araft train: error: "), captured.err
    assert "Traceback" not in captured.err + captured.out
    assert not out.exists()  # refused before any run directory
    return err


def test_cli_wrong_type(capsys, tmp_path):
    err = _train_fails(capsys, tmp_path, "experiment=seed_overfit", "trainer.lr=fast")
    assert "trainer.lr=fast" in err and "could not be converted to Float" in err


def test_cli_unknown_key_on_the_command_line(capsys, tmp_path):
    err = _train_fails(capsys, tmp_path, "trainer.lrr=1e-4")
    assert "unknown key 'trainer.lrr'" in err


def test_cli_unknown_key_in_a_users_experiment(capsys, tmp_path):
    mine = tmp_path / "myconfigs" / "experiment"
    mine.mkdir(parents=True)
    (mine / "typo.yaml").write_text("# @package _global_\ntrainer:\n  learning_rate: 1.0e-3\n",
                                    encoding="utf-8")
    err = _train_fails(capsys, tmp_path, "--config-dir", str(tmp_path / "myconfigs"),
                       "experiment=typo")
    assert "unknown key 'trainer.learning_rate' in experiment/typo" in err


def test_cli_missing_experiment(capsys, tmp_path):
    err = _train_fails(capsys, tmp_path, "experiment=nope")
    assert "no experiment 'nope'" in err and all(name in err for name in EXPERIMENTS)


def test_cli_missing_search(capsys, tmp_path):
    err = _train_fails(capsys, tmp_path, "hparams_search=grid")
    assert "no hparams_search 'grid'" in err and "optuna" in err


def test_cli_a_users_experiment_beside_the_packaged_ones(capsys, tmp_path):
    mine = tmp_path / "myconfigs" / "experiment"
    mine.mkdir(parents=True)
    (mine / "mine.yaml").write_text("# @package _global_\nexperiment_name: mine\ntrainer:\n"
                                    "  lr: 1.0e-3\n", encoding="utf-8")
    assert main(["train", "--config-dir", str(tmp_path / "myconfigs"), "--cfg", "job",
                 "experiment=mine"]) == 0
    out = capsys.readouterr().out
    assert "experiment_name: mine" in out and "lr: 0.001" in out


# -- where the configs are --------------------------------------------------------------------

def test_the_checkout_reads_the_top_level_configs():
    from araft.configdir import config_dir

    assert config_dir() == CONFIGS
    assert not (ROOT / "src" / "araft" / "configs").exists()


def test_an_installed_package_reads_its_own_copy_first(tmp_path, monkeypatch):
    import araft.configdir as configdir

    package = tmp_path / "site-packages" / "araft"
    (package / "configs").mkdir(parents=True)
    (package / "configs" / "train.yaml").write_text("defaults: []\n", encoding="utf-8")
    monkeypatch.setattr(configdir, "_PACKAGE", package)
    assert configdir.config_dir() == package / "configs"
    (package / "configs" / "train.yaml").unlink()
    with pytest.raises(ConfigError, match="configs are missing: no train.yaml"):
        configdir.config_dir()


def test_the_wheel_ships_configs_where_config_dir_looks():
    """pyproject copies the top-level folder to araft/configs, the packaged place config_dir
    reads first (building the wheel needs the network for hatchling; this reads the mapping)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wheel = project["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert wheel["force-include"] == {"configs": "araft/configs"}
    assert "src/araft" in wheel["packages"]
    assert "configs" in project["tool"]["hatch"]["build"]["targets"]["sdist"]["include"]


@pytest.mark.parametrize("size", ["tiny", "arabertv02"])
def test_the_ner_baseline_of_the_joint_recipe_differs_from_it_only_in_the_task(size, tmp_path):
    """araft compare of the two is only fair with the same encoder, data, budget and selection:
    ner_claims_<size> takes them from joint_claims_<size>, so a change to one reaches the other."""
    for extra in ([], ["model=arabert-tiny"]):
        joint = compose([f"experiment=joint_claims_{size}", *extra], root=str(tmp_path))
        ner = compose([f"experiment=ner_claims_{size}", *extra], root=str(tmp_path))
        assert (joint.task.name, ner.task.name) == ("joint", "ner")
        assert ner.experiment_name == f"ner_claims_{size}"
        for section in ("model", "data", "trainer", "seed"):
            assert getattr(ner, section) == getattr(joint, section), section
