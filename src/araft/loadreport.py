"""transformers' load report, shown only when it reports a problem.

Loading an encoder checkpoint into a task model always reports the new head as MISSING
(`classifier.*`, and `bert.pooler.*` when the checkpoint was pretrained without one: both are
initialised here and trained next) and the checkpoint's own pretraining head as UNEXPECTED
(`cls.*`, `generator_*`, dropped). That is the normal start of fine-tuning, and a table of it on
every `make run` taught users to skip the one table that matters. Weights missing inside the encoder
are not normal (a damaged checkpoint, or another architecture's names): that part of the model would
silently start from random weights, so then the report is shown and araft adds one line naming them.
A saved model read for prediction must be whole: there, any missing weight is an error
(``from_pretrained_whole``).
"""
from __future__ import annotations

import logging
from typing import Any

REPORT_LOGGER = "transformers.modeling_utils"
log = logging.getLogger("araft.load")


class _HoldReport(logging.Filter):
    """Keeps transformers' load report back while a model loads (other records pass)."""

    def __init__(self) -> None:
        super().__init__()
        self.held: list[logging.LogRecord] = []

    def filter(self, record: logging.LogRecord) -> bool:
        if "LOAD REPORT" in record.getMessage():
            self.held.append(record)
            return False
        return True


def unexpectedly_missing(model: Any, missing: set[str] | list[str]) -> list[str]:
    """The missing keys that are not a newly initialised head: the encoder's own weights."""
    prefix = getattr(model, "base_model_prefix", "")
    if not prefix or getattr(model, prefix, None) is None:
        return sorted(missing)  # no separate head: every missing weight is the model's own
    head_like = (f"{prefix}.pooler.",)  # MLM checkpoints have no trained pooler; a new head uses it
    return sorted(k for k in missing if k.startswith(f"{prefix}.") and not k.startswith(head_like))


def from_pretrained_quietly(auto_cls: Any, name_or_path: str, **kwargs: Any) -> Any:
    """``auto_cls.from_pretrained``, without the report when it only lists the new head."""
    model, info, report = _load_holding_report(auto_cls, name_or_path, **kwargs)
    missing = unexpectedly_missing(model, info["missing_keys"])
    if missing:
        report()
        shown = ", ".join(missing[:6]) + (f", ... ({len(missing)} in all)" if len(missing) > 6 else "")
        log.warning("%s: %d encoder weight(s) are not in the checkpoint and start from random "
                    "values: %s", name_or_path, len(missing), shown)
    return model


def from_pretrained_whole(auto_cls: Any, path: str, **kwargs: Any) -> Any:
    """``auto_cls.from_pretrained`` of a saved model that must hold every weight the model needs.
    A folder missing some (a pretrained encoder, which would get a random head) raises ModelError,
    which says what transformers' report would."""
    from araft.modelcheck import ModelError

    model, info, report = _load_holding_report(auto_cls, path, **kwargs)
    missing = sorted(info["missing_keys"])
    if missing:
        raise ModelError(f"{path}: no trained weights for {', '.join(missing[:4])}"
                         + (f" and {len(missing) - 4} more" if len(missing) > 4 else "")
                         + ": not a fine-tuned araft model (a pretrained encoder? fine-tune it with "
                           "`araft train` first)")
    report()  # whatever else it says (unexpected weights) is worth seeing
    return model


def _load_holding_report(auto_cls: Any, name_or_path: str, **kwargs: Any):
    """(model, loading info, a function that shows the held-back report). If loading raises, the
    report is shown first: transformers raises after it (mismatched shapes, ...)."""
    logger = logging.getLogger(REPORT_LOGGER)
    hold = _HoldReport()
    logger.addFilter(hold)
    try:
        model, info = auto_cls.from_pretrained(name_or_path, output_loading_info=True, **kwargs)
    except BaseException:
        _release(logger, hold)
        raise
    logger.removeFilter(hold)
    return model, info, lambda: _release(logger, hold)


def _release(logger: logging.Logger, hold: _HoldReport) -> None:
    logger.removeFilter(hold)
    for record in hold.held:
        logger.handle(record)
    hold.held.clear()
