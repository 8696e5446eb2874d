"""task.sentence_loss_schedule: "linear" decays the joint model's sentence loss weight to 0 by the
last step, set before every optimizer step from the step count (so a resumed run carries on);
"constant" adds no callback; anything else is refused at config time."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from araft.errors import ConfigError
from araft.tasks.joint import schedule
from araft.tasks.joint.schedule import schedule_callbacks, sentence_weight

from conftest import compose_in


def test_linear_decays_the_weight_to_zero_by_the_last_step():
    assert [sentence_weight("linear", 2.0, s, 4) for s in range(5)] == [2.0, 1.5, 1.0, 0.5, 0.0]
    assert sentence_weight("constant", 0.7, 3, 4) == 0.7
    assert sentence_weight("linear", 1.0, 5, 0) == 1.0  # no step count known: the weight as given
    assert schedule_callbacks("constant", 1.0) == []


def test_the_callback_sets_the_model_weight_from_the_trainer_state():
    from transformers import TrainerState

    (callback,) = schedule_callbacks("linear", 1.0)
    model = SimpleNamespace(sentence_loss_weight=1.0)
    state = TrainerState(global_step=30, max_steps=40)  # e.g. resumed at step 30
    callback.on_step_begin(None, state, None, model=model)
    assert model.sentence_loss_weight == pytest.approx(0.25)


def test_a_joint_run_sets_the_weight_before_every_step(tmp_path, monkeypatch):
    from araft.run import run_training

    calls = []

    def spy(name, weight, step, max_steps):
        calls.append((name, weight, step, max_steps))
        return sentence_weight(name, weight, step, max_steps)

    monkeypatch.setattr(schedule, "sentence_weight", spy)
    cfg = compose_in(tmp_path, "experiment=seed_joint_overfit", "trainer.max_steps=3",
                     "task.sentence_loss_schedule=linear", "task.sentence_loss_weight=0.5",
                     "data.extra_eval={}")
    run_training(cfg, tmp_path / "run")
    assert calls == [("linear", 0.5, step, 3) for step in range(3)]
    report = (tmp_path / "run" / "report.md").read_text(encoding="utf-8")
    assert "sentence loss weight 0.5 · sentence loss schedule linear" in report


def test_an_unknown_schedule_is_refused_at_config_time(tmp_path):
    with pytest.raises(ConfigError, match="sentence_loss_schedule must be one of"):
        compose_in(tmp_path, "experiment=seed_joint_overfit", "task.sentence_loss_schedule=cosine")


def test_the_model_card_states_the_schedule():
    from araft.config import TaskConfig
    from araft.tasks.joint.card import JointCard

    lines = JointCard().loss_lines(TaskConfig(name="joint", sentence_loss_schedule="linear"))
    assert any("decays linearly to 0" in line for line in lines)
    assert not any("decays" in line for line in JointCard().loss_lines(TaskConfig(name="joint")))
