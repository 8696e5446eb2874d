"""The staged folder: exactly what `araft push` uploads, written to disk first so it can be
inspected (``--dry-run``) and so a failed upload can be re-run from it.

Contents: the model and tokenizer files of the run's ``model/`` (config.json carries the araft
settings), what else the task publishes (the joint task: its two standard heads, each in a
subfolder with the tokenizer, for plain transformers), the model card README.md, and araft_metrics.json (the run's scores, with local paths
reduced to file names). Never a token: nothing here knows one.
"""
from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from araft.errors import ConfigError
from araft.rundir import RunDir

MARKER = ".araft-staged"  # marks a folder araft may clear and restage; never uploaded
EXCLUDED = {"training_args.bin"}  # a pickle of Trainer arguments: not needed, not safe to load
METRICS_FILE = "araft_metrics.json"


@dataclass
class StagedFolder:
    path: Path
    files: list[str]  # relative paths, as they will be in the repository


def default_stage_dir(run_root: str | Path) -> Path:
    return RunDir(Path(run_root)).root / "push"


def _prepare(out: Path) -> None:
    """An empty folder to stage into; a previous staging by araft is cleared, anything else kept."""
    if out.exists():
        if not out.is_dir():
            raise ConfigError(f"{out}: exists and is not a folder; choose another --out")
        if any(out.iterdir()) and not (out / MARKER).is_file():
            raise ConfigError(f"{out}: folder exists, is not empty and was not staged by araft; "
                              "choose another --out (araft never clears a folder it did not make)")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / MARKER).write_text("staged by araft push; cleared when staging again\n", encoding="utf-8")


def public_metrics(metrics: dict[str, Any]) -> dict[str, Any]:
    """metrics.json without the training log, and with file names instead of local paths."""
    out = {k: v for k, v in metrics.items() if k not in ("log_history", "best_checkpoint")}
    splits = {}
    for name, scores in (metrics.get("splits") or {}).items():
        scores = dict(scores)
        if scores.get("file"):
            scores["file"] = Path(str(scores["file"])).name
        splits[name] = scores
    out["splits"] = splits
    return out


def task_of(run: RunDir):
    from araft.tasks.registry import task_named

    settings = run.model_settings()
    if settings is None:
        raise ConfigError(f"{run.model}: config.json has no 'araft' settings; not an araft model")
    return task_named(settings.task)


def stage_run(run_root: str | Path, out: str | Path, *, repo_id: str,
              license: str | None = None) -> StagedFolder:
    """Write the folder to upload for a finished run; returns where and what."""
    from araft.hub.card import build_card

    run = RunDir(Path(run_root))
    if not run.model.is_dir():
        raise ConfigError(f"{run.root}: no model/ folder: not a finished araft run")
    from araft.modelcheck import check_model_dir

    check_model_dir(run.model)  # never upload a model that predict would refuse
    card = build_card(run.root, repo_id, license=license)  # checks the run before touching `out`
    out = Path(out)
    _prepare(out)
    for src in sorted(run.model.iterdir()):
        if src.is_file() and src.name not in EXCLUDED and not src.name.startswith("."):
            shutil.copy2(src, out / src.name)
    for folder in task_of(run).export_for_hub(run.model, out):
        for src in sorted(run.model.iterdir()):  # each standard model gets the tokenizer too
            if src.is_file() and src.name.startswith(("tokenizer", "special_tokens", "vocab")):
                shutil.copy2(src, folder / src.name)
    card.save(out / "README.md")
    with open(out / METRICS_FILE, "w", encoding="utf-8") as fh:
        json.dump(public_metrics(run.metrics()), fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*")
                   if p.is_file() and p.name != MARKER)
    return StagedFolder(out, files)
