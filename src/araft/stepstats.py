"""Seconds, tokens and memory per optimizer step, for run.json (``steps``).

Wall time between the Trainer's step callbacks; tokens counted by a forward pre-hook on the model
(the padded input_ids of every forward of the step, so gradient accumulation is included); memory
is the process's peak resident set size and, on CUDA, the peak allocated GPU memory.
"""
from __future__ import annotations

import resource
import statistics
import sys
import time
from typing import Any

PER_STEP_SHOWN = 20  # run.json lists the first steps one by one; a long run only its summary


def step_stats():
    """A StepStats that is a TrainerCallback; transformers is imported only when a run starts,
    as elsewhere in araft, so importing araft.run stays cheap."""
    from transformers import TrainerCallback

    class Callback(StepStats, TrainerCallback):
        pass

    return Callback()


class StepStats:
    """The callback's hooks and the summary (``step_stats`` mixes in TrainerCallback)."""

    def __init__(self) -> None:
        self.steps: list[dict[str, float]] = []
        self._t0: float | None = None
        self._tokens = 0
        self._seq = 0
        self._hook = None

    def _count(self, module, args, kwargs) -> None:
        ids = kwargs.get("input_ids", args[0] if args else None)
        if ids is not None and hasattr(ids, "shape") and module.training:
            self._tokens += int(ids.numel())
            self._seq = max(self._seq, int(ids.shape[-1]))

    def on_train_begin(self, args, state, control, model=None, **kwargs):
        if model is not None and self._hook is None:
            self._hook = model.register_forward_pre_hook(self._count, with_kwargs=True)

    def on_step_begin(self, args, state, control, **kwargs):
        self._t0, self._tokens, self._seq = time.perf_counter(), 0, 0

    def on_step_end(self, args, state, control, **kwargs):
        if self._t0 is None:
            return
        self.steps.append({"seconds": time.perf_counter() - self._t0, "tokens": self._tokens,
                           "seq_len": self._seq})
        self._t0 = None

    def on_train_end(self, args, state, control, **kwargs):
        if self._hook is not None:
            self._hook.remove()
            self._hook = None

    def summary(self) -> dict[str, Any]:
        """The first step pays one-off costs (allocations, kernel selection, compilation): it is
        reported alone, and s/step is the median of the others when there are any."""
        out: dict[str, Any] = {"n": len(self.steps), "peak_rss_mb": round(peak_rss_mb(), 1)}
        if self.steps:
            rest = self.steps[1:] or self.steps
            secs = [s["seconds"] for s in rest]
            out.update({
                "first_step_s": round(self.steps[0]["seconds"], 3),
                "s_per_step": round(statistics.median(secs), 3),
                "tokens_per_s": round(sum(s["tokens"] for s in rest) / max(sum(secs), 1e-9), 1),
                "max_seq_len": max(s["seq_len"] for s in self.steps),
                "per_step": [{k: round(v, 3) if isinstance(v, float) else v for k, v in s.items()}
                             for s in self.steps[:PER_STEP_SHOWN]],
            })
        gpu = peak_gpu_mb()
        if gpu is not None:
            out["peak_gpu_mb"] = round(gpu, 1)
        return out


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def peak_gpu_mb() -> float | None:
    import torch

    if not torch.cuda.is_available():
        return None
    return torch.cuda.max_memory_allocated() / 2**20
