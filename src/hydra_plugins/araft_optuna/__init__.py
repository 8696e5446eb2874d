"""Hydra plugin: araft's Optuna sweeper (hydra/sweeper=araft_optuna). The logic lives in
araft.sweeps.optuna_sweeper; Hydra only instantiates plugin classes defined under hydra_plugins."""
