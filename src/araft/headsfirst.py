"""Heads first (trainer.heads_first): for the first fraction of the optimizer steps only the task's
heads learn, the pretrained encoder frozen; then everything is fine-tuned, as before.

Why: a randomly initialised head sends large, noisy gradients into the encoder in the first steps
and can distort the pretrained features before the head has learnt to read them (linear probing
then fine-tuning, "LP-FT", Kumar et al. 2022). On the claims corpus the fine-tuned embedded encoder
ranks obstacle sentences below a linear probe on its own frozen features; heads first there:
docs/benchmarks.md, "Heads first".

The heads are every parameter outside the model's base (``model.base_model_prefix``) plus the
base's pooler, which BERT's sentence head reads. The encoder is frozen by ``requires_grad``, set
before every step from the step count: the optimizer, built before the first step, holds every
parameter and skips those without a gradient, and a resumed run carries on where it was. The
frozen steps also skip the encoder's backward pass.
"""
from __future__ import annotations

from araft.errors import ConfigError


def encoder_parameters(model) -> list:
    """The base model's parameters, its pooler excepted (the pooler belongs to the sentence head)."""
    prefix = f"{model.base_model_prefix}."
    return [p for name, p in model.named_parameters()
            if name.startswith(prefix) and ".pooler." not in name]


def frozen_steps(ratio: float, max_steps: int) -> int:
    """How many of the first optimizer steps train the heads alone."""
    return int(round(ratio * max_steps))


def heads_first_callbacks(ratio: float) -> list:
    """[the callback that freezes the encoder for the first ``ratio`` of the steps], or [] for 0."""
    if ratio <= 0:
        return []
    from transformers import TrainerCallback

    class HeadsFirst(TrainerCallback):
        """Touches the parameters only when the phase changes, not on every step."""
        encoder: list | None = None
        trained: bool | None = None

        def on_train_begin(self, args, state, control, **kwargs):
            if args.world_size > 1:  # launched by torchrun/accelerate outside trainer.processes
                raise ConfigError("trainer.heads_first needs one process; this run has "
                                  f"{args.world_size}")

        def on_step_begin(self, args, state, control, model=None, **kwargs):
            train_encoder = state.global_step >= frozen_steps(ratio, state.max_steps)
            if self.encoder is None:
                self.encoder = encoder_parameters(model)
            if train_encoder != self.trained:
                for p in self.encoder:
                    p.requires_grad_(train_encoder)
                self.trained = train_encoder

    return [HeadsFirst()]
