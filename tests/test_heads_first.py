"""trainer.heads_first: the first fraction of the steps trains the heads alone (the encoder frozen,
its pooler trained with the sentence head), then everything; refused where it cannot hold."""
from __future__ import annotations

import pytest
import torch
from safetensors.torch import load_file

from araft.errors import ConfigError
from araft.headsfirst import encoder_parameters, frozen_steps, heads_first_callbacks

from conftest import compose_in

TINY = "models/arabert-tiny"


def test_the_encoder_is_the_base_without_its_pooler(root):
    from transformers import AutoModelForSequenceClassification

    model = AutoModelForSequenceClassification.from_pretrained(root / TINY, num_labels=2)
    frozen = {id(p) for p in encoder_parameters(model)}
    names = {n for n, p in model.named_parameters() if id(p) in frozen}
    assert names and all(n.startswith("bert.") for n in names)
    trained = {n for n, p in model.named_parameters() if id(p) not in frozen}
    assert trained == {"bert.pooler.dense.weight", "bert.pooler.dense.bias",
                       "classifier.weight", "classifier.bias"}


def test_the_callback_freezes_the_encoder_for_the_first_steps_only(root):
    from transformers import AutoModelForTokenClassification, TrainerState

    model = AutoModelForTokenClassification.from_pretrained(root / TINY, num_labels=3)
    (callback,) = heads_first_callbacks(0.25)
    assert frozen_steps(0.25, 40) == 10 and heads_first_callbacks(0.0) == []
    for step, encoder_learns in ((0, False), (9, False), (10, True), (39, True)):
        callback.on_step_begin(None, TrainerState(global_step=step, max_steps=40), None, model=model)
        assert all(p.requires_grad == encoder_learns for p in encoder_parameters(model))
        assert model.classifier.weight.requires_grad


@pytest.mark.parametrize("bad", ["trainer.heads_first=1.0", "trainer.heads_first=-0.1"])
def test_a_fraction_outside_0_1_is_refused(bad, tmp_path):
    with pytest.raises(ConfigError, match=r"heads_first must be a fraction of the steps in \[0, 1\)"):
        compose_in(tmp_path, "experiment=seed_claims_overfit", bad)


def test_several_processes_are_refused(tmp_path):
    with pytest.raises(ConfigError, match="heads_first needs one process"):
        compose_in(tmp_path, "experiment=seed_claims_overfit", "trainer.heads_first=0.5",
                   "trainer.processes=2")


def test_a_run_launched_on_several_processes_is_refused():
    """torchrun or accelerate can start more processes than trainer.processes says."""
    from types import SimpleNamespace

    (callback,) = heads_first_callbacks(0.25)
    with pytest.raises(ConfigError, match="needs one process; this run has 2"):
        callback.on_train_begin(SimpleNamespace(world_size=2), None, None)
    callback.on_train_begin(SimpleNamespace(world_size=1), None, None)


def _weights(path):
    return load_file(str(path / "model.safetensors"))


@pytest.mark.parametrize("ratio,encoder_moves", [(0.9, False), (0.5, True)])
def test_a_joint_run_keeps_the_encoder_while_the_heads_learn(ratio, encoder_moves, tmp_path, root):
    """4 steps on the seed article from the claims encoder (its pooler is pretrained too): with 0.9
    every step is head-only (round(3.6) = 4), and the saved encoder is the pretrained one to the
    last bit while the pooler moved; with 0.5 the last two steps train the encoder too."""
    from araft.run import run_training

    cfg = compose_in(tmp_path, "experiment=seed_joint_overfit", "model=arabert-mini-news-claims",
                     "trainer.max_steps=4", f"trainer.heads_first={ratio}", "data.extra_eval={}")
    run_training(cfg, tmp_path / "run")
    before = _weights(root / "models" / "arabert-mini-news-claims")
    after = _weights(tmp_path / "run" / "model")
    layer = "bert.encoder.layer.0.attention.self.query.weight"
    assert torch.equal(before[layer], after[layer]) != encoder_moves
    assert torch.equal(before["bert.embeddings.word_embeddings.weight"],
                       after["bert.embeddings.word_embeddings.weight"]) != encoder_moves
    assert not torch.equal(before["bert.pooler.dense.weight"], after["bert.pooler.dense.weight"])
    report = (tmp_path / "run" / "report.md").read_text(encoding="utf-8")
    assert f"heads first {ratio:g}" in report
    from araft.hub.staging import stage_run

    card = (stage_run(tmp_path / "run", tmp_path / "stage", repo_id="x/y").path / "README.md").read_text()
    assert f"the first {ratio:.0%} of the steps trained the heads alone" in card


def test_reports_leave_heads_first_out_when_off(tmp_path):
    from araft.reporting.run_summary import _applies

    assert not _applies("trainer.heads_first", 0.0, "claims")
    assert _applies("trainer.heads_first", 0.25, "ner")
