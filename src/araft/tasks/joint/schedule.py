"""The sentence loss's weight over training (task.sentence_loss_schedule).

"constant" keeps task.sentence_loss_weight throughout. "linear" decays it to 0 by the last step, so
the last epochs train the token head and the encoder on entities alone: on the claims corpus the
joint model's dev sentence F1 peaks in the first epoch while its entity F1 still rises at the fifth.
A Trainer callback sets the weight before every step from the step count, so a resumed run carries
on where it was.
"""
from __future__ import annotations

SCHEDULES = ("constant", "linear")


def sentence_weight(schedule: str, weight: float, step: int, max_steps: int) -> float:
    """The sentence loss weight for optimizer step `step` (0-based) of `max_steps`."""
    if schedule == "constant" or max_steps <= 0:
        return weight
    return weight * max(0.0, 1.0 - step / max_steps)


def schedule_callbacks(schedule: str, weight: float) -> list:
    """[the callback that sets model.sentence_loss_weight before each step], or [] for constant."""
    if schedule == "constant":
        return []
    from transformers import TrainerCallback

    class SentenceWeightSchedule(TrainerCallback):
        def on_step_begin(self, args, state, control, model=None, **kwargs):
            model.sentence_loss_weight = sentence_weight(schedule, weight, state.global_step,
                                                         state.max_steps)

    return [SentenceWeightSchedule()]
