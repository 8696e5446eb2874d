"""Which class is which task.

A config chooses its task by ``_target_`` (configs/task/*.yaml), the way lightning-hydra-template
instantiates its parts; a saved model only names its task (config.json: ``araft.task``), so the
names are listed here too. Adding a task: a package under araft/tasks/, a yaml in configs/task/
and its name below. Classes are imported when first asked for: `araft data` never loads a task.
"""
from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from araft.errors import ConfigError
from araft.importpath import locate

if TYPE_CHECKING:
    from araft.tasks.base import Task

# Models and run directories from before araft recorded their task were NER.
LEGACY_TASK = "ner"
TASKS = {
    "ner": "araft.tasks.ner.NerTask",
    "claims": "araft.tasks.claims.ClaimsTask",
    "joint": "araft.tasks.joint.JointTask",
}


@lru_cache(maxsize=None)
def _instance(target: str) -> Task:
    from araft.tasks.base import Task

    cls = locate(target)
    if not (isinstance(cls, type) and issubclass(cls, Task)):
        raise ConfigError(f"task._target_: {target} is not an araft Task")
    return cls()


def task_named(name: str) -> Task:
    """The task a saved model or a metrics.json names."""
    if name not in TASKS:
        raise ConfigError(f"unknown task {name!r} (known: {', '.join(TASKS)})")
    return _instance(TASKS[name])


def task_from_config(config: Any) -> Task:
    """The task of a task config: its ``_target_``, else its name (configs from before
    ``_target_``, e.g. an old run's run.json). A name that is not the target's is refused."""
    target = getattr(config, "_target_", None)
    if not target:
        return task_named(config.name)
    task = _instance(target)
    if task.name != config.name:
        raise ConfigError(f"task.name is {config.name!r} but task._target_ {target} is the "
                          f"{task.name!r} task")
    return task
