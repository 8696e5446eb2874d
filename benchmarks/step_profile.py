"""Where a Trainer's time goes: data fetch, collation, forward, backward, grad clipping, optimizer.

Timers hooked onto the pieces every Trainer step goes through (the same hooks on both sides of a
comparison), rather than cProfile or torch.profiler: those slow the Python-heavy parts (collation)
far more than the torch kernels and so misstate the shares. Overhead of these hooks: a few
``perf_counter`` calls per step.
"""
from __future__ import annotations

import time
from collections import defaultdict
from typing import Any, Callable

CATEGORIES = ("data fetch (dataset rows)", "collation", "forward (incl. loss)", "backward",
              "grad clipping", "optimizer step")


class StepProfile:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.padded_tokens = 0
        self.real_tokens = 0
        self.batches = 0
        self._fwd_t0 = 0.0
        self._opt_t0 = 0.0
        self._opt_depth = 0

    def add(self, name: str, seconds: float) -> None:
        self.seconds[name] += seconds
        self.calls[name] += 1

    # -- the pieces ------------------------------------------------------------------------
    def collator(self, collate: Callable[[list], dict]) -> Callable[[list], dict]:
        def timed(features: list) -> dict:
            t = time.perf_counter()
            batch = collate(features)
            self.add("collation", time.perf_counter() - t)
            ids = batch["input_ids"]
            self.padded_tokens += int(ids.numel())
            mask = batch.get("attention_mask")
            self.real_tokens += int(mask.sum()) if mask is not None else int(ids.numel())
            self.batches += 1
            return batch

        return timed

    def install(self, model) -> None:
        """Hook the model, the optimizer, accelerate's backward and the DataLoader fetch."""
        import accelerate
        import torch.optim.optimizer as optim
        from torch.utils.data._utils import fetch

        def fwd_pre(module, args, kwargs=None):
            self._fwd_t0 = time.perf_counter()

        def fwd_post(module, args, output):
            self.add("forward (incl. loss)", time.perf_counter() - self._fwd_t0)

        model.register_forward_pre_hook(fwd_pre)
        model.register_forward_hook(fwd_post)

        # accelerate's AcceleratedOptimizer is an Optimizer whose step() calls the wrapped one's:
        # the global hooks fire for both, so only the outermost call is timed.
        def opt_pre(opt, args, kwargs):
            self._opt_depth += 1
            if self._opt_depth == 1:
                self._opt_t0 = time.perf_counter()

        def opt_post(opt, args, kwargs):
            self._opt_depth -= 1
            if self._opt_depth == 0:
                self.add("optimizer step", time.perf_counter() - self._opt_t0)

        optim.register_optimizer_step_pre_hook(opt_pre)
        optim.register_optimizer_step_post_hook(opt_post)
        self._wrap(accelerate.Accelerator, "backward", "backward")
        self._wrap(accelerate.Accelerator, "clip_grad_norm_", "grad clipping")
        self._wrap(fetch._MapDatasetFetcher, "fetch", "_fetch")

    def _wrap(self, owner: type, attr: str, name: str) -> None:
        original = getattr(owner, attr)
        profile = self

        def timed(*args: Any, **kwargs: Any):
            t = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                profile.add(name, time.perf_counter() - t)

        setattr(owner, attr, timed)

    # -- results ---------------------------------------------------------------------------
    def summary(self, total_s: float) -> dict[str, Any]:
        """Seconds per category (fetch without the collation inside it) and the rest."""
        sec = dict(self.seconds)
        sec["data fetch (dataset rows)"] = max(0.0, sec.pop("_fetch", 0.0) - sec.get("collation", 0.0))
        out = {name: sec.get(name, 0.0) for name in CATEGORIES}
        out["other (scheduler, logging, callbacks, loop)"] = total_s - sum(out.values())
        return {"seconds": out, "batches": self.batches, "padded_tokens": self.padded_tokens,
                "real_tokens": self.real_tokens}


def print_profiles(profiles: dict[str, dict[str, Any]], totals: dict[str, float]) -> None:
    """Side by side: seconds and share of the training wall time per category."""
    sides = list(profiles)
    print("   where the training time goes (s, % of train wall):")
    print("     " + f"{'':<44}" + "".join(f"{s:>20}" for s in sides))
    for name in profiles[sides[0]]["seconds"]:
        cells = []
        for s in sides:
            v = profiles[s]["seconds"][name]
            cells.append(f"{v:>11.2f} {100 * v / totals[s]:>6.1f}% ")
        print(f"     {name:<44}" + "".join(cells))
    cells = []
    for s in sides:
        p = profiles[s]
        pad = p["padded_tokens"] / max(1, p["batches"])
        cells.append(f"{pad:>11.0f} ({p['real_tokens'] / max(1, p['padded_tokens']):.0%})".rjust(20))
    print(f"     {'tokens per batch (real share)':<44}" + "".join(cells))
