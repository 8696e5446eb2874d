"""The run directory: its paths and its files, read typed (run.json as RunInfo, the model's araft
settings as ModelSettings). Read by reporting, hub and predict."""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from araft.modelio import ModelSettings
    from araft.runinfo import RunInfo


@dataclass(frozen=True)
class RunDir:
    root: Path

    @property
    def model(self) -> Path: return self.root / "model"
    @property
    def checkpoints(self) -> Path: return self.root / "checkpoints"
    @property
    def predictions(self) -> Path: return self.root / "predictions"
    @property
    def metrics_file(self) -> Path: return self.root / "metrics.json"
    @property
    def run_file(self) -> Path: return self.root / "run.json"
    @property
    def tb(self) -> Path: return self.root / "tb"
    @property
    def config_file(self) -> Path: return self.root / ".hydra" / "config.yaml"

    def metrics(self) -> dict[str, Any]:
        return json.loads(self.metrics_file.read_text(encoding="utf-8"))

    def info(self) -> RunInfo | None:
        """run.json, typed (None: an `araft evaluate --out` directory has none)."""
        from araft.runinfo import RunInfo

        if not self.run_file.is_file():
            return None
        return RunInfo.from_dict(json.loads(self.run_file.read_text(encoding="utf-8")))

    def write_info(self, info: RunInfo) -> None:
        write_json(self.run_file, info.to_dict())

    def model_settings(self) -> ModelSettings | None:
        """The araft settings saved with model/ (None: no model, or not saved by araft)."""
        return model_settings_at(self.model)


def model_settings_at(folder: Path) -> ModelSettings | None:
    """The araft settings in a model folder's config.json, read without loading transformers."""
    from araft.errors import ConfigError
    from araft.modelio import settings_from_dict

    path = Path(folder) / "config.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8")).get("araft")
        return settings_from_dict(raw, where=str(folder))
    except (OSError, AttributeError, json.JSONDecodeError, ConfigError):
        return None


def write_json(path: Path, obj: Any) -> None:
    """Atomic write: a reader (or a kill) never sees half a file. A failure (disk full,
    permission) is a DiskError naming the file, and leaves no temporary file behind."""
    from araft.diskio import disk_step

    with disk_step("writing", path):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(obj, fh, ensure_ascii=False, indent=2)
                fh.write("\n")
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise


def resolve_model_path(path: str | Path) -> str:
    """A run directory means its model/; a folder with config.json is a model; else a Hub id."""
    p = Path(path)
    if (p / "model" / "config.json").is_file():
        return str(p / "model")
    if (p / "config.json").is_file():
        return str(p)
    if p.exists():
        from araft.errors import ConfigError

        if (p / ".hydra").is_dir() or (p / "checkpoints").is_dir():
            raise ConfigError(f"{p}: this run has no whole model/ (it did not finish); continue it "
                              f"with `araft train resume={p}`")
        raise ConfigError(f"{p}: neither a run directory (with model/) nor a model folder "
                          "(with config.json)")
    return str(path)  # a Hub id: transformers resolves it (needs network or the local cache)
