"""The typed schema of `araft train`, registered with Hydra's ConfigStore as `train_schema`.

train.yaml lists `train_schema` first in its defaults, so every group option, experiment and
command-line override is merged onto the dataclasses of araft.config while Hydra composes: a wrong
type (`trainer.lr=fast`) or an unknown key in a YAML file fails there, naming the key, before any
run directory exists. The schema is those dataclasses themselves, not a second copy.

Hydra words a composition error over several lines (detail lines, the search path);
`composition_error` says it in one, naming the key or the missing option and the choices.
"""
from __future__ import annotations

import re
from typing import Any

SCHEMA_NAME = "train_schema"


def _node(cls: type) -> Any:
    from omegaconf import OmegaConf

    node = OmegaConf.structured(cls)
    # The dataclasses are frozen (a run's config never changes once built), which OmegaConf turns
    # into read-only nodes; composition has to merge the YAML files into them.
    OmegaConf.set_readonly(node, False)
    return node


def schema(train: type, sections: dict[str, type]) -> Any:
    """TrainConfig as an OmegaConf node, each section typed by its own dataclass (values that no
    dataclass default gives are MISSING until a config sets them). The classes come from
    araft.config (config.register_hydra), which imports this module, not the other way round."""
    root = _node(train)
    for name, cls in sections.items():
        root[name] = _node(cls)
    return root


def register_schema(train: type, sections: dict[str, type]) -> None:
    from hydra.core.config_store import ConfigStore

    ConfigStore.instance().store(name=SCHEMA_NAME, node=schema(train, sections))


def _text(err: BaseException) -> str:
    """The message without its indented detail lines (full_key, object_type, search path)."""
    lines = [line.strip() for line in str(err).splitlines() if line.strip() and not line[0].isspace()]
    return " ".join(lines).rstrip(".") or type(err).__name__


def _missing_option(err: BaseException) -> str | None:
    """`experiment=nope`: the group, the name asked for and the options there are."""
    from hydra.errors import MissingConfigException

    if not isinstance(err, MissingConfigException) or not err.options or not err.missing_cfg_file:
        return None
    group, _, name = err.missing_cfg_file.rpartition("/")
    if not group:
        return None
    return (f"no {group} '{name}' in the configs; {group} options: {', '.join(sorted(err.options))} "
            f"(your own go in a folder added with --config-dir)")


def composition_error(err: BaseException) -> str | None:
    """The composition error in one line, naming the key; None when ``err`` is no config error
    (a bug somewhere else keeps its traceback)."""
    from hydra.errors import HydraException
    from omegaconf.errors import OmegaConfBaseException

    if not isinstance(err, (HydraException, OmegaConfBaseException)):
        return None
    missing = _missing_option(err)
    if missing:
        return missing
    parts = [_text(err)]
    cause = err.__cause__
    if isinstance(cause, OmegaConfBaseException):
        parts.append(_text(cause))
    line = ": ".join(parts).replace(":: ", ": ")
    found = re.search(r"full_key: (\S+)", f"{err}\n{cause or ''}")
    key = found.group(1) if found else None
    unknown = re.search(r"Key '[^']+' not in '(\w+)'", line)
    if unknown and key:  # Hydra's own hint (append with +KEY) would only fail later
        where = re.match(r"In '([^']+)'", line)
        return (f"unknown key '{key}'" + (f" in {where.group(1)}" if where else "")
                + f": {unknown.group(1)} has no such field")
    return f"{line} (key {key})" if key and key not in line else line
