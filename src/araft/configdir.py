"""Where araft's Hydra configs are: `configs/` at the top of a checkout, shipped inside the wheel.

A checkout (and an editable install, which imports from src/) keeps them at the repository's top
level, as the design card lays out; the wheel copies that folder to `araft/configs`
(pyproject.toml, force-include), because an installed package has no repository around it.
"""
from __future__ import annotations

from pathlib import Path

from araft.errors import ConfigError

_PACKAGE = Path(__file__).resolve().parent


def config_dir() -> Path:
    """The folder holding train.yaml: the packaged copy when installed, else the checkout's."""
    for candidate in (_PACKAGE / "configs", _PACKAGE.parents[1] / "configs"):
        if (candidate / "train.yaml").is_file():
            return candidate
    raise ConfigError(f"araft's configs are missing: no train.yaml in {_PACKAGE / 'configs'} "
                      f"(installed) or {_PACKAGE.parents[1] / 'configs'} (checkout)")
