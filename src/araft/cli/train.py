"""`araft train [hydra overrides]`: compose the config once, train, print the headline."""
from __future__ import annotations

import sys
from pathlib import Path

CONFIG_DIR = Path(__file__).resolve().parents[1] / "configs"


def resume_overrides(argv: list[str]) -> list[str]:
    """`resume=RUN_DIR` re-applies that run's own overrides and writes into the same directory."""
    resume = [a.split("=", 1)[1] for a in argv if a.startswith("resume=")]
    if not resume or resume[-1] in ("", "null"):
        return argv
    run_dir = Path(resume[-1]).resolve()
    saved = run_dir / ".hydra" / "overrides.yaml"
    if not saved.is_file():
        from araft.errors import ConfigError

        raise ConfigError(f"resume={run_dir}: not a run directory (no .hydra/overrides.yaml)")
    import yaml

    previous = [o for o in yaml.safe_load(saved.read_text(encoding="utf-8")) or []
                if not o.startswith(("resume=", "hydra.run.dir=", "hparams_search=",
                                     "+hparams_search="))]  # a search's trial resumes as one run
    others = [a for a in argv if not a.startswith("resume=")]
    return previous + others + [f"resume={run_dir}", f"hydra.run.dir={run_dir}"]


def run_hydra(argv: list[str]) -> int:
    import hydra
    from hydra.core.hydra_config import HydraConfig

    from araft.config import from_dictconfig, register_resolvers
    from araft.errors import AraftError

    try:
        argv = resume_overrides(argv)
    except AraftError as err:
        print(f"araft train: error: {err}", file=sys.stderr)
        return 2
    register_resolvers()
    status = {"code": 0}

    @hydra.main(version_base="1.3", config_path=str(CONFIG_DIR), config_name="train")
    def _main(dcfg) -> float | None:
        """Returns the dev micro F1: what a sweeper (hparams_search=optuna) maximises."""
        from araft.runner import headline, run_training

        from araft.launch import launch_local, write_resolved
        from araft.sweeps.objective import dev_objective, run_objective

        try:
            cfg = from_dictconfig(dcfg)
            run_root = Path(HydraConfig.get().runtime.output_dir)
            if cfg.prepare_only:
                print(f"resolved config written to {write_resolved(cfg, run_root)}")
                return None
            if cfg.trainer.processes > 1:
                code = launch_local(cfg, run_root)
                status["code"] = code or status["code"]
                return run_objective(run_root) if code == 0 else None
            metrics = run_training(cfg, run_root)
        except AraftError as err:
            print(f"araft train: error: {err}", file=sys.stderr)
            status["code"] = 2
            return None
        print(f"run directory: {run_root}")
        print(headline(metrics))
        return dev_objective(metrics)

    saved_argv = sys.argv
    sys.argv = ["araft train", *argv]
    try:
        _main()
    finally:
        sys.argv = saved_argv
    return status["code"]
