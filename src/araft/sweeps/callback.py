"""Hydra callback (registered in train.yaml's hydra.callbacks): summarise a sweep when it ends."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback

log = logging.getLogger(__name__)


class SweepSummaryCallback(Callback):
    def on_multirun_end(self, config: Any, **kwargs: Any) -> None:
        from araft.sweeps.summary import write_summary

        try:
            paths = write_summary(Path(str(config.hydra.sweep.dir)))
        except Exception:  # the jobs' outputs are safe on disk; a summary failure must not hide them
            log.exception("writing the sweep summary failed; `python -m araft.sweeps "
                          "SWEEP_DIR` retries it")
            return
        log.info("sweep summary: %s", paths.markdown)
