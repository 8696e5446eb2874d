"""Registers `hydra/sweeper: araft_optuna` (used by configs/hparams_search/optuna.yaml).

Hydra imports every module under hydra_plugins when `araft train` starts, so this module stays
light: optuna itself is imported only when a search runs.
"""
from dataclasses import dataclass, field
from typing import Any, Dict, Optional

from hydra.core.config_store import ConfigStore

from araft.sweeps import optuna_sweeper as core


class AraftOptunaSweeper(core.OptunaSweeper):
    """The Sweeper Hydra instantiates; see araft.sweeps.optuna_sweeper."""


@dataclass
class AraftOptunaSweeperConf:
    _target_: str = "hydra_plugins.araft_optuna.optuna_sweeper.AraftOptunaSweeper"
    # total trials of the study (a resumed study runs only the missing ones)
    n_trials: int = 20
    # trials asked at once and handed to the launcher together (parallel with a parallel launcher)
    n_jobs: int = 1
    direction: str = "maximize"
    seed: int = 42
    n_startup_trials: int = 10
    study_name: str = "araft"
    # an Optuna storage URL; null keeps the study in <sweep dir>/optuna.db
    storage: Optional[str] = None
    # name -> {type: float|int|categorical, low, high, log, step, choices} or a Hydra sweep string
    params: Dict[str, Any] = field(default_factory=dict)


ConfigStore.instance().store(group="hydra/sweeper", name="araft_optuna",
                             node=AraftOptunaSweeperConf, provider="araft")
