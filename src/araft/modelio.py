"""The araft settings that travel inside a saved model's config.json (key ``araft``)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from araft.errors import ConfigError
from araft.preprocessing import MODES
from araft.tasks.registry import LEGACY_TASK


@dataclass(frozen=True)
class ModelSettings:
    task: str                       # the task's name (araft.tasks.registry)
    preprocess: str                 # preprocessing mode, see araft.preprocessing.MODES
    max_length: int
    stride: int = 16
    multi_label: bool = True        # claims only
    context: int = 0                # claims only: neighbour sentences as a second segment
    thresholds: dict[str, float] = field(default_factory=dict)  # claims only, tuned on dev

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def settings_from_config(config: Any, *, where: str) -> ModelSettings:
    """Read the settings from a transformers config; a model without them is refused."""
    return settings_from_dict(getattr(config, "araft", None), where=where)


def settings_from_dict(raw: Any, *, where: str) -> ModelSettings:
    """The settings from config.json's ``araft`` entry; a model without them is refused."""
    if not isinstance(raw, dict) or "preprocess" not in raw:
        raise ConfigError(f"{where}: config.json has no 'araft' settings (preprocessing mode); "
                          "it was not saved by araft. Pass the preprocessing mode explicitly.")
    mode = raw["preprocess"]
    if mode not in MODES:
        raise ConfigError(f"{where}: unknown preprocessing mode {mode!r} in config.json")
    known = {k: raw[k] for k in ModelSettings.__dataclass_fields__ if k in raw}
    known.setdefault("task", LEGACY_TASK)
    known.setdefault("max_length", 512)
    return ModelSettings(**known)


def attach_settings(config: Any, settings: ModelSettings) -> None:
    config.araft = settings.to_dict()
