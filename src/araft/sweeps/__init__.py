"""Hyper-parameter sweeps over `araft train`: the objective a sweeper maximises, the summary
table of a sweep directory, and an Optuna search run as a Hydra sweeper.

    dev_objective(metrics) -> float | None              what the Hydra task function returns
    collect_jobs(sweep_dir) -> list[dict]               one row per job directory
    write_summary(sweep_dir) -> SummaryPaths            summary.md + summary.json
    SweepSummaryCallback                                writes them when a multirun ends
    OptunaSweeper                                       hparams_search=optuna (hydra_plugins.araft_optuna)
"""
from araft.sweeps.objective import dev_objective
from araft.sweeps.summary import SummaryPaths, collect_jobs, render_markdown, write_summary

__all__ = ["SummaryPaths", "collect_jobs", "dev_objective", "render_markdown", "write_summary"]
