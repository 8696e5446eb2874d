"""`araft train [hydra overrides]`: compose the config once, train, print the headline.

Order matters for what a failure may leave behind: a `resume=` is checked against the run's own
config before Hydra starts (araft.resume), and Hydra itself writes nothing into the run directory
(hydra.output_subdir is null in train.yaml): the .hydra/ files are written here, once the run
directory's lock is held and the config is valid.
"""
from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path

log = logging.getLogger("araft.train")


def write_hydra_files(run_root: Path, dcfg) -> None:
    """.hydra/config.yaml, hydra.yaml and overrides.yaml, as Hydra would write them (resume
    re-applies overrides.yaml; sweep summaries read it)."""
    from hydra.core.hydra_config import HydraConfig
    from omegaconf import OmegaConf

    from araft.diskio import disk_step

    hydra_cfg = HydraConfig.get()
    out = run_root / ".hydra"
    files = {"config.yaml": dcfg, "hydra.yaml": OmegaConf.create({"hydra": hydra_cfg}),
             "overrides.yaml": hydra_cfg.overrides.task}
    with disk_step("writing the run's config", out):
        out.mkdir(parents=True, exist_ok=True)
        for name, node in files.items():
            tmp = out / f".{name}.tmp"
            tmp.write_text(OmegaConf.to_yaml(node), encoding="utf-8")
            os.replace(tmp, out / name)


def fail(err: BaseException) -> int:
    """One line on stderr and in train.log (Hydra's file handler is on the root logger)."""
    log.error("%s", err)
    print(f"araft train: error: {err}", file=sys.stderr)
    return 2


@contextlib.contextmanager
def hydra_errors_raised() -> Iterator[None]:
    """Hydra raises its exceptions to the caller inside this block, instead of printing them over
    several lines and exiting 1: HYDRA_FULL_ERROR=1 is its documented switch (put back after)."""
    saved = os.environ.get("HYDRA_FULL_ERROR")
    os.environ["HYDRA_FULL_ERROR"] = "1"
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("HYDRA_FULL_ERROR", None)
        else:
            os.environ["HYDRA_FULL_ERROR"] = saved


def run_hydra(argv: list[str]) -> int:
    import hydra
    from hydra.core.hydra_config import HydraConfig

    from araft.config import from_dictconfig, normalize_overrides, register_hydra
    from araft.configdir import config_dir
    from araft.errors import AraftError
    from araft.resume import plan_resume
    from araft.schema import composition_error

    argv = normalize_overrides(argv)
    try:
        configs = config_dir()
        plan = plan_resume(argv, root=os.getcwd())  # paths.root is the launch directory
    except AraftError as err:
        print(f"araft train: error: {err}", file=sys.stderr)  # the run directory is left alone
        return 2
    if plan is not None:
        argv = normalize_overrides(plan.argv)  # older runs saved the form normalize replaces
    register_hydra()
    status = {"code": 0}

    @hydra.main(version_base="1.3", config_path=str(configs), config_name="train")
    def _main(dcfg) -> float | None:
        """Returns the dev micro F1: what a sweeper (hparams_search=optuna) maximises."""
        from araft.diskio import describe, is_disk_failure
        from araft.runlock import RunLock

        run_root = Path(HydraConfig.get().runtime.output_dir)
        try:
            cfg = from_dictconfig(dcfg)
            with RunLock(run_root):
                write_hydra_files(run_root, dcfg)
                if plan is not None:
                    from araft.resume import record_resume
                    from araft.rundir import RunDir
                    from araft.run import last_checkpoint

                    record_resume(run_root, plan.changes, last_checkpoint(RunDir(run_root)))
                return train_in(cfg, run_root, status)
        except AraftError as err:
            status["code"] = fail(err)
        except Exception as err:
            if not is_disk_failure(err):
                raise
            status["code"] = fail(describe(err, "training", run_root))
        return None

    saved_argv = sys.argv
    sys.argv = ["araft train", *argv]
    try:
        with hydra_errors_raised():
            _main()
    except Exception as err:
        line = composition_error(err)
        if line is None:
            raise
        # a config that does not compose: one line, no traceback (nothing has been written)
        print(f"araft train: error: {line}", file=sys.stderr)
        return 2
    finally:
        sys.argv = saved_argv
    return status["code"]


def train_in(cfg, run_root: Path, status: dict) -> float | None:
    """The run itself, under the lock: prepare only, several processes, or one."""
    from araft.distributed import launch_local, write_resolved
    from araft.evaluation import headline
    from araft.run import run_training
    from araft.sweeps.objective import dev_objective, run_objective

    if cfg.prepare_only:
        print(f"resolved config written to {write_resolved(cfg, run_root)}")
        return None
    if cfg.trainer.processes > 1:
        code = launch_local(cfg, run_root)
        status["code"] = code or status["code"]
        return run_objective(run_root) if code == 0 else None
    metrics = run_training(cfg, run_root)
    print(f"run directory: {run_root}")
    print(headline(metrics))
    return dev_objective(metrics)
