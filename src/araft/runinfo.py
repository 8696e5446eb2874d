"""run.json, typed: what exactly was run (the resolved config), on what data (hashes), with which
code (git commit, packages), where (hardware) and how long it took. ``RunInfo.collect`` gathers it
when a run ends, ``to_dict`` is what run.json holds, ``from_dict`` reads it back for reports, cards
and comparisons (through ``RunDir.info``)."""
from __future__ import annotations

import dataclasses
import platform
import subprocess
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from araft.config import TrainConfig

PACKAGES = ["araft", "torch", "transformers", "datasets", "evaluate", "accelerate", "tokenizers",
            "hydra-core", "seqeval", "arabert", "huggingface_hub", "numpy"]


def git_commit(repo: str | Path) -> dict[str, Any]:
    def git(*args: str) -> str | None:
        try:
            out = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                                 timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return out.stdout.strip() if out.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    status = git("status", "--porcelain", "--untracked-files=no")
    return {"commit": commit, "dirty": bool(status) if status is not None else None}


def package_versions() -> dict[str, str | None]:
    out = {}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def hardware() -> dict[str, Any]:
    import os

    import torch

    info: dict[str, Any] = {"platform": platform.platform(), "python": platform.python_version(),
                            "cpu_count": os.cpu_count(), "torch_threads": torch.get_num_threads(),
                            "cuda": torch.cuda.is_available()}
    if torch.cuda.is_available():
        info["gpus"] = [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
    return info


def data_hashes(files: dict[str, str]) -> dict[str, dict[str, str]]:
    from araft.features import file_digest

    return {name: {"path": str(path), "sha256": file_digest(path)} for name, path in files.items()}


def flatten(obj: Any, prefix: str = "") -> dict[str, Any]:
    """{"a": {"b": 1}} -> {"a.b": 1}; lists (and tuples, as lists: JSON's reading) stay values,
    compared whole; an empty mapping stays a value."""
    if not isinstance(obj, dict):
        return {prefix: list(obj) if isinstance(obj, tuple) else obj} if prefix else {}
    out: dict[str, Any] = {}
    for key, value in obj.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict) and value:
            out.update(flatten(value, name))
        else:
            out[name] = list(value) if isinstance(value, tuple) else value
    return out


@dataclass(frozen=True)
class DataFile:
    path: str
    sha256: str = ""


@dataclass(frozen=True)
class GitInfo:
    commit: str | None = None
    dirty: bool | None = None    # uncommitted changes when the run started (None: unknown)


@dataclass
class RunInfo:
    """run.json, typed. Written by a run's main process when it ends, read by reports, cards,
    comparisons and tests (RunDir.info)."""
    config: TrainConfig | None          # the resolved config (None: run.json has none, or a bad one)
    git: GitInfo = field(default_factory=GitInfo)
    packages: dict[str, str | None] = field(default_factory=dict)
    data: dict[str, DataFile] = field(default_factory=dict)   # split -> file it was read from
    seed: int | None = None
    hardware: dict[str, Any] = field(default_factory=dict)    # platform, CPUs, GPUs, processes
    durations_s: dict[str, float] = field(default_factory=dict)
    resumed_from: str | None = None
    resumes: list[dict[str, Any]] = field(default_factory=list)  # araft.resume's history
    steps: dict[str, Any] = field(default_factory=dict)          # araft.stepstats' summary
    config_error: str | None = None     # why a config in run.json could not be read

    @classmethod
    def collect(cls, cfg: TrainConfig, files: dict[str, str], durations: dict[str, float],
                resumed_from: str | None, processes: int = 1,
                git: dict[str, Any] | None = None) -> "RunInfo":
        """At the end of a run (``processes``: the training world size, whoever launched it:
        araft, torchrun or accelerate). ``git``: git_commit as read when the run started (the
        code that trained; a commit made during a long run is not it); None reads it now."""
        git = git if git is not None else git_commit(cfg.paths.root)
        return cls(config=cfg, git=GitInfo(**git),
                   packages=package_versions(),
                   data={k: DataFile(**v) for k, v in data_hashes(files).items()}, seed=cfg.seed,
                   hardware={**hardware(), "processes": processes},
                   durations_s={k: round(v, 2) for k, v in durations.items()},
                   resumed_from=resumed_from)

    def config_values(self) -> dict[str, Any]:
        """The config as dotted keys ("trainer.lr"), values as run.json stores them."""
        return flatten(dataclasses.asdict(self.config)) if self.config is not None else {}

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)  # the config as araft.config.to_dict writes it
        del out["config_error"]
        return out

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> "RunInfo":
        """Lenient about what older run.json files lack; a config the current schema refuses is
        kept out (``config_error`` says why) rather than failing a report."""
        from araft.config import from_dict
        from araft.errors import ConfigError

        config, error = None, None
        if isinstance(raw.get("config"), dict):
            try:
                config = from_dict(raw["config"])
            except (ConfigError, TypeError, ValueError) as err:  # a config today's schema refuses
                error = str(err)
        data = {k: DataFile(str(v.get("path", "")), str(v.get("sha256") or ""))
                for k, v in (raw.get("data") or {}).items() if isinstance(v, dict)}
        git = raw.get("git") or {}
        return cls(config=config, git=GitInfo(git.get("commit"), git.get("dirty")),
                   packages=dict(raw.get("packages") or {}), data=data, seed=raw.get("seed"),
                   hardware=dict(raw.get("hardware") or {}),
                   durations_s=dict(raw.get("durations_s") or {}),
                   resumed_from=raw.get("resumed_from"), resumes=list(raw.get("resumes") or []),
                   steps=dict(raw.get("steps") or {}), config_error=error)
