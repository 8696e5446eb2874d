"""An Optuna search as a Hydra sweeper: `araft train hparams_search=optuna`.

Optuna is used directly (hydra-optuna-sweeper pins optuna<3). For each batch of trials the
sweeper asks the study (TPE, fixed seed) for overrides from the search space (see
araft.sweeps.space), launches them through Hydra's launcher, and tells the study the value the
task function returned (dev micro F1). Job directories are named by trial number, the study lives
in `optuna.db` in the sweep directory, and `best_params.yaml` is rewritten after every batch, so
a killed search loses at most its running trials. Resume it by launching the same command with
`hydra.sweep.dir=SWEEP_DIR`: the study is loaded, trials left running by the dead process are
marked failed, and the search continues until `n_trials` trials have finished.

Hydra only accepts plugin classes defined under the `hydra_plugins` package, so the class Hydra
instantiates is a thin subclass in hydra_plugins.araft_optuna.
"""
from __future__ import annotations

import logging
import math
from pathlib import Path
from typing import Any

from hydra.plugins.sweeper import Sweeper

from araft.errors import AraftError, ConfigError

log = logging.getLogger(__name__)

STUDY_DB = "optuna.db"
BEST_PARAMS = "best_params.yaml"


def job_value(ret: Any) -> tuple[float | None, str | None]:
    """(objective, None) for a job that returned a finite number, else (None, why)."""
    from hydra.core.utils import JobStatus

    if ret.status != JobStatus.COMPLETED:
        return None, f"{type(ret._return_value).__name__}: {ret._return_value}"
    value = ret.return_value
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None, f"the job returned {value!r}, not a number (no dev split, or an error)"
    return float(value), None


def job_dir(ret: Any) -> str | None:
    try:
        return str(ret.hydra_cfg.hydra.runtime.output_dir)
    except Exception:  # a launcher that does not send the Hydra config back
        return None


class OptunaSweeper(Sweeper):
    def __init__(self, n_trials: int = 20, n_jobs: int = 1, direction: str = "maximize",
                 seed: int = 42, n_startup_trials: int = 10, study_name: str = "araft",
                 storage: str | None = None, params: Any = None) -> None:
        super().__init__()
        if direction not in ("maximize", "minimize"):
            raise ConfigError(f"hydra.sweeper.direction must be maximize or minimize, got {direction!r}")
        if n_trials < 1 or n_jobs < 1:
            raise ConfigError("hydra.sweeper.n_trials and n_jobs must be >= 1")
        self.n_trials, self.n_jobs, self.direction = n_trials, n_jobs, direction
        self.seed, self.n_startup_trials = seed, n_startup_trials
        self.study_name, self.storage = study_name, storage
        self.params = params
        self.hydra_context = self.config = self.launcher = None

    def setup(self, *, hydra_context: Any, task_function: Any, config: Any) -> None:
        from hydra.core.plugins import Plugins

        self.hydra_context, self.config = hydra_context, config
        self.launcher = Plugins.instance().instantiate_launcher(
            hydra_context=hydra_context, task_function=task_function, config=config)

    def _study(self, sweep_dir: Path) -> Any:
        try:
            import optuna
        except ImportError as err:
            raise ConfigError("hparams_search=optuna needs optuna: pip install 'araft[search]'") from err
        from optuna.trial import TrialState

        storage = self.storage or f"sqlite:///{sweep_dir.resolve() / STUDY_DB}"
        study = optuna.create_study(storage=storage, study_name=self.study_name,
                                    direction=self.direction, load_if_exists=True)
        for stale in study.get_trials(deepcopy=False, states=(TrialState.RUNNING,)):
            # only this sweep directory's (dead) previous sweeper could have left it running
            log.warning("trial %d was left running by an earlier sweep: marked failed", stale.number)
            study.tell(stale.number, state=TrialState.FAIL)
        # A resumed study gets a new random stream, so its startup trials do not repeat old ones.
        study.sampler = optuna.samplers.TPESampler(
            seed=self.seed + len(study.trials), n_startup_trials=self.n_startup_trials)
        return study

    def sweep(self, arguments: list[str]) -> Any:
        from hydra.core.override_parser.overrides_parser import OverridesParser
        from omegaconf import OmegaConf
        from optuna.trial import TrialState

        from araft.sweeps.space import build_space

        assert self.config is not None and self.launcher is not None and self.hydra_context is not None
        # Resolve the sweep directory in the master config before any job is composed: jobs
        # copy its resolver cache (timestamp, run suffix), so they all land under this directory.
        sweep_dir = Path(str(self.config.hydra.sweep.dir))
        sweep_dir.mkdir(parents=True, exist_ok=True)
        OmegaConf.save(self.config, sweep_dir / "multirun.yaml")
        params = OmegaConf.to_container(self.params, resolve=True) if OmegaConf.is_config(self.params) \
            else (self.params or {})
        parser = OverridesParser.create(config_loader=self.hydra_context.config_loader)
        space = build_space(params, arguments, parser)
        study = self._study(sweep_dir)
        finished = (TrialState.COMPLETE, TrialState.PRUNED, TrialState.FAIL)
        errors: list[str] = []
        returns = []
        while (left := self.n_trials - len(study.get_trials(deepcopy=False, states=finished))) > 0:
            trials = [study.ask() for _ in range(min(self.n_jobs, left))]
            batch = [space.suggest(t) for t in trials]
            try:
                self.validate_batch_is_legal(batch)
            except Exception:
                for trial in trials:
                    study.tell(trial, state=TrialState.FAIL)
                raise
            results = self.launcher.launch(batch, initial_job_idx=trials[0].number)
            for trial, overrides, ret in zip(trials, batch, results):
                # what `araft train` needs to rerun this trial as a single run
                trial.set_user_attr("overrides", [o for o in overrides
                                                  if not o.startswith(("hparams_search=", "+hparams_search="))])
                trial.set_user_attr("run_dir", job_dir(ret))
                value, why = job_value(ret)
                if value is None:
                    log.warning("trial %d failed: %s", trial.number, why)
                    errors.append(f"trial {trial.number}: {why}")
                    study.tell(trial, state=TrialState.FAIL)
                else:
                    study.tell(trial, value)
            returns.append(results)
            write_best(study, sweep_dir / BEST_PARAMS)
        if not study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,)):
            raise AraftError("no trial completed:\n  " + "\n  ".join(errors[-5:]))
        return returns


def write_best(study: Any, path: Path) -> dict[str, Any] | None:
    """best_params.yaml: the best trial's value, params and the overrides that reproduce it."""
    import yaml
    from optuna.trial import TrialState

    done = study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
    best = None
    if done:
        t = study.best_trial
        best = {"trial": t.number, "value": t.value, "params": dict(t.params),
                "overrides": t.user_attrs.get("overrides"), "run_dir": t.user_attrs.get("run_dir")}
    doc = {"study_name": study.study_name, "direction": study.direction.name.lower(),
           "n_complete": len(done), "n_trials": len(study.trials), "best": best}
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    tmp.replace(path)
    return best

