"""Objects named by a dotted path ("package.module.Name"), imported when first needed: a config's
``_target_`` and the classes and functions a task names, so that choosing one loads no model code."""
from __future__ import annotations

from importlib import import_module
from typing import Any

from araft.errors import ConfigError


def locate(target: str, what: str = "task._target_") -> Any:
    """The object ``target`` names, imported now; ``what`` names the setting it came from in the error."""
    module, _, attr = target.rpartition(".")
    try:
        return getattr(import_module(module), attr)
    except (ImportError, AttributeError, ValueError):
        raise ConfigError(f"{what}: cannot import {target!r}") from None
