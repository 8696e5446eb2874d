"""`araft train resume=RUN [overrides]`: continue a run exactly as it was, or refuse.

A resume restores the optimizer, schedule and data order from the checkpoint, so a changed
learning rate was recorded but never applied, and a changed training file mixed two data sets.
Here the run's own overrides are composed twice, without and with the new ones, and every
difference in the resolved config is listed. Any difference is refused unless
`resume_allow=safe` is given; then only changes that cannot alter the trained weights pass
(evaluation, logging, tracking, paths); the rest are always refused. All of this happens before
Hydra starts, so a refused resume writes nothing into the run directory.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from araft.errors import AraftError, ConfigError
from araft.runinfo import flatten

HISTORY = "resumes.json"
ALLOW = ("none", "safe")
# resolved keys whose change leaves the trained weights untouched
SAFE = ("trainer.bootstrap", "trainer.eval_batch_size", "trainer.dataloader_workers",
        "trainer.logging_steps", "tracking.", "paths.", "data.extra_eval", "experiment_name")
IGNORED = ("resume", "prepare_only")
# a run's saved overrides that a resume must not re-apply (a search's trial resumes as one run)
NOT_REAPPLIED = ("resume=", "resume_allow=", "hydra.run.dir=", "hparams_search=", "+hparams_search=")
# Hydra flags followed by a value
VALUE_FLAGS = {"--config-dir", "-cd", "--config-path", "-cp", "--config-name", "-cn", "--cfg",
               "-c", "--package", "-p", "--info", "-i"}


@dataclass
class ResumePlan:
    run_dir: Path
    argv: list[str]                       # what Hydra receives
    changes: dict[str, list[Any]] = field(default_factory=dict)  # key -> [old, new], allowed ones


def _last(argv: list[str], key: str) -> str | None:
    values = [a.split("=", 1)[1] for a in argv if a.startswith(f"{key}=")]
    return values[-1] if values else None


def _split(argv: list[str]) -> tuple[list[str], list[str]]:
    """(Hydra flags with their values, config overrides)."""
    flags, overrides, i = [], [], 0
    while i < len(argv):
        arg = argv[i]
        if arg.startswith("-"):
            take = 2 if arg in VALUE_FLAGS and i + 1 < len(argv) else 1
            flags += argv[i:i + take]
            i += take
        else:
            overrides.append(arg)
            i += 1
    return flags, overrides


def differences(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    old, new = flatten(before), flatten(after)
    keys = sorted(set(old) | set(new))
    # an emptied mapping flattens to KEY: {} on one side and KEY.sub on the other: list the subkeys
    return {k: [old.get(k), new.get(k)] for k in keys
            if old.get(k) != new.get(k) and not k.startswith(IGNORED)
            and {repr(old.get(k)), repr(new.get(k))} != {"{}", "None"}}


def is_safe(key: str) -> bool:
    return any(key == s or key.startswith(s if s.endswith(".") else s + ".") or key == s.rstrip(".")
               for s in SAFE)


def _compose(overrides: list[str], root: str):
    from araft.config import compose

    try:
        return compose(overrides, root=root)
    except AraftError:
        raise
    except Exception as err:  # Hydra's composition errors: one line, not a traceback
        first = (str(err).strip().splitlines() or [type(err).__name__])[0]
        raise ConfigError(f"cannot compose the resumed config: {first}") from None


def plan_resume(argv: list[str], *, root: str) -> ResumePlan | None:
    """None when ``argv`` starts a new run; else what Hydra must run, after refusing changes."""
    target, allow = _last(argv, "resume"), _last(argv, "resume_allow")
    if target in (None, "", "null"):
        if allow is not None:
            raise ConfigError("resume_allow= only goes with resume=RUN")
        return None
    allow = allow or "none"
    if allow not in ALLOW:
        raise ConfigError(f"resume_allow must be one of {', '.join(ALLOW)}, got {allow!r}")
    run_dir = Path(target).resolve()
    saved = run_dir / ".hydra" / "overrides.yaml"
    if not saved.is_file():
        raise ConfigError(f"resume={run_dir}: not a run directory (no .hydra/overrides.yaml)")
    import yaml

    previous = [o for o in yaml.safe_load(saved.read_text(encoding="utf-8")) or []
                if not o.startswith(NOT_REAPPLIED)]
    others = [a for a in argv if not a.startswith(("resume=", "resume_allow="))]
    flags, new = _split(others)
    from araft.config import to_dict

    diffs = differences(to_dict(_compose(previous, root)), to_dict(_compose(previous + new, root)))
    refused = {k: v for k, v in diffs.items() if allow != "safe" or not is_safe(k)}
    if refused:
        raise ConfigError(refusal(run_dir, refused, allow))
    return ResumePlan(run_dir, previous + flags + new + [f"resume={run_dir}", f"hydra.run.dir={run_dir}"],
                      diffs)


def refusal(run_dir: Path, refused: dict[str, list[Any]], allow: str) -> str:
    listed = "; ".join(f"{k}: {old!r} -> {new!r}" for k, (old, new) in refused.items())
    changes_run = [k for k in refused if not is_safe(k)]
    if changes_run:
        hint = ("a resume continues the same training (optimizer, schedule and data order come "
                "from the checkpoint): start a new run for these")
    else:
        hint = "these do not change the trained model: add resume_allow=safe to apply them"
    return f"resume={run_dir}: the overrides change the run ({listed}); {hint}"


def record_resume(run_dir: Path, changes: dict[str, list[Any]], checkpoint: str | None) -> None:
    """Append this resume to RUN/resumes.json (run.json lists them under "resumes")."""
    from araft.rundir import write_json

    step = int(checkpoint.rsplit("-", 1)[-1]) if checkpoint else 0
    history = read_history(run_dir)
    history.append({"from_checkpoint": checkpoint, "from_step": step, "changes": changes,
                    "at": time.strftime("%Y-%m-%dT%H:%M:%S")})
    write_json(Path(run_dir) / HISTORY, history)


def read_history(run_dir: Path) -> list[dict[str, Any]]:
    import json

    path = Path(run_dir) / HISTORY
    if not path.is_file():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return []
    return data if isinstance(data, list) else []
