"""An Optuna search space from config and command line, and the overrides of one trial.

A dimension comes from either
  - the config (`hydra.sweeper.params`), as a mapping:
        trainer.lr: {type: float, low: 1e-5, high: 3e-4, log: true}
        trainer.batch_size: {type: categorical, choices: [8, 16, 32]}
        trainer.epochs: {type: int, low: 2, high: 6, step: 1}
    or as a Hydra sweep string: "choice(8, 16)", "interval(0.0, 0.2)", "tag(log, interval(1e-5, 1e-3))",
    "range(2, 7)";
  - the command line, the same Hydra sweep syntax: `trainer.batch_size=8,16` is a categorical
    dimension. Plain `key=value` arguments are fixed for every trial.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping

from araft.errors import ConfigError

KINDS = ("float", "int", "categorical")


@dataclass(frozen=True)
class Dimension:
    name: str
    kind: str                      # float | int | categorical
    low: float | None = None
    high: float | None = None
    log: bool = False
    step: float | None = None
    choices: tuple[Any, ...] = ()

    def suggest(self, trial: Any) -> Any:
        if self.kind == "float":
            return trial.suggest_float(self.name, self.low, self.high, log=self.log, step=self.step)
        if self.kind == "int":
            return trial.suggest_int(self.name, int(self.low), int(self.high), log=self.log,
                                     step=int(self.step or 1))
        return trial.suggest_categorical(self.name, list(self.choices))


def dimension_from_mapping(name: str, spec: Mapping[str, Any]) -> Dimension:
    kind = str(spec.get("type", "categorical" if "choices" in spec else "float"))
    unknown = sorted(set(spec) - {"type", "low", "high", "log", "step", "choices"})
    if kind not in KINDS or unknown:
        raise ConfigError(f"search space '{name}': type must be one of {KINDS}"
                          + (f"; unknown key(s) {', '.join(unknown)}" if unknown else f", got {kind!r}"))
    if kind == "categorical":
        choices = tuple(spec.get("choices") or ())
        if not choices:
            raise ConfigError(f"search space '{name}': categorical needs a non-empty 'choices' list")
        return Dimension(name, kind, choices=choices)
    if spec.get("low") is None or spec.get("high") is None or float(spec["low"]) > float(spec["high"]):
        raise ConfigError(f"search space '{name}': {kind} needs low <= high")
    if spec.get("log") and float(spec["low"]) <= 0:
        raise ConfigError(f"search space '{name}': log scale needs low > 0")
    return Dimension(name, kind, low=float(spec["low"]), high=float(spec["high"]),
                     log=bool(spec.get("log", False)),
                     step=None if spec.get("step") is None else float(spec["step"]))


def dimension_from_override(override: Any) -> Dimension:
    """A Hydra sweep override (choice, range, interval, with an optional `log` tag)."""
    from hydra.core.override_parser.types import ChoiceSweep, IntervalSweep, RangeSweep

    name = override.get_key_element()
    value = override.value()
    if isinstance(value, ChoiceSweep):
        return Dimension(name, "categorical", choices=tuple(value.list))
    if isinstance(value, RangeSweep):
        start, stop, step = value.start, value.stop, value.step
        if all(isinstance(v, int) for v in (start, stop, step)) and step > 0 and stop > start:
            return Dimension(name, "int", low=start, high=start + (stop - 1 - start) // step * step,
                             step=step)
        return Dimension(name, "categorical", choices=tuple(override.sweep_iterator()))
    if isinstance(value, IntervalSweep):
        log = "log" in value.tags
        both_int = isinstance(value.start, int) and isinstance(value.end, int) and "int" in value.tags
        return Dimension(name, "int" if both_int else "float", low=value.start, high=value.end,
                         log=log)
    raise ConfigError(f"{override.input_line}: not a sweep (choice, range or interval)")


@dataclass(frozen=True)
class SearchSpace:
    dimensions: tuple[Dimension, ...]
    fixed: tuple[str, ...]          # key=value overrides given to every trial

    def suggest(self, trial: Any) -> list[str]:
        """Ask the trial for a value of every dimension; its overrides, fixed ones first."""
        return [*self.fixed, *(to_override(d.name, d.suggest(trial)) for d in self.dimensions)]


def build_space(params: Mapping[str, Any], arguments: list[str], parser: Any) -> SearchSpace:
    """`params` from the sweeper config, `arguments` from the command line (which win);
    `parser` is Hydra's OverridesParser."""
    dims: dict[str, Dimension] = {}
    for name, spec in (params or {}).items():
        if isinstance(spec, Mapping):
            dims[name] = dimension_from_mapping(name, spec)
        else:
            dims[name] = dimension_from_override(parser.parse_override(f"{name}={spec}"))
    fixed = []
    for override in parser.parse_overrides(arguments):
        if override.is_sweep_override():
            dims[override.get_key_element()] = dimension_from_override(override)
        else:
            key = override.get_key_element()
            dims.pop(key, None)  # a fixed value on the command line takes the key out of the search
            fixed.append(f"{key}={override.get_value_element_as_str()}")
    if not dims:
        raise ConfigError("the search space is empty: set hydra.sweeper.params or give a sweep "
                          "on the command line (e.g. trainer.lr='tag(log,interval(1e-5,1e-3))')")
    return SearchSpace(tuple(dims.values()), tuple(fixed))


_PLAIN = re.compile(r"[\w./+:@%-]+")


def to_override(key: str, value: Any) -> str:
    """key=value in Hydra override grammar (strings quoted unless plain)."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif value is None:
        text = "null"
    elif isinstance(value, (int, float)):
        text = repr(value)
    else:
        text = str(value)
        if not _PLAIN.fullmatch(text):
            text = "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
    return f"{key}={text}"
