"""Model selection needs gold to select on. A dev split without a single gold entity (NER) or
labelled sentence (claims) scores F1 0.000 whatever the model, so choosing the "best" checkpoint
on it is choosing at random. `trainer.empty_dev` says what to do: refuse (the default) or warn
and select on the dev loss instead."""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Sequence

from araft.corpus.article import Article
from araft.errors import DataError

if TYPE_CHECKING:
    from araft.tasks.base import Task

log = logging.getLogger(__name__)

CHOICES = ("refuse", "loss")


def dev_selection(task: Task | str, dev: Sequence[Article] | None, dev_file: str | None,
                  empty_dev: str) -> str | None:
    """None: select on the task's metric as usual; "loss": select on the dev loss. Raises a
    DataError naming the dev file when it has no gold and ``empty_dev`` is "refuse". ``task``: a
    Task or its name."""
    if isinstance(task, str):
        from araft.tasks.registry import task_named

        task = task_named(task)
    if not dev or task.gold_count(dev):
        return None
    what = task.no_gold
    if empty_dev == "refuse":
        raise DataError(f"the dev split has {what}: its F1 is 0 for every model, so it cannot "
                        "choose the best checkpoint. Use a dev file with gold, or set "
                        "trainer.empty_dev=loss to select on the dev loss", path=dev_file)
    log.warning("%s: the dev split has %s; the best checkpoint is chosen on the dev loss and its "
                "F1 is not meaningful", dev_file, what)
    return "loss"
