"""The claims-corpus recipes on bert-base-arabertv02 (claims_obstacles_arabertv02,
joint_claims_arabertv02): the embedded recipes' data, task settings and selection, only the model
and its optimisation changed; and each runs end to end on the base model's shape and tokenizer
settings (a stand-in shrunk to train in seconds), offline."""
from __future__ import annotations

import json
from dataclasses import asdict

import pytest

from araft.config import compose
from small_shapes import small_shape

PAIRS = [("claims_obstacles_tiny", "claims_obstacles_arabertv02"),
         ("joint_claims_tiny", "joint_claims_arabertv02")]
# what a base model changes: its weights and preprocessing (model), a GPU's trainer settings, and
# the learning rate and length of fine-tuning that suit 110M parameters instead of 5M
OPTIMISATION = {"lr", "epochs", "precision", "tf32", "dataloader_workers"}


@pytest.mark.parametrize("tiny,base", PAIRS)
def test_base_recipe_is_the_embedded_one_on_a_base_model(tiny, base, tmp_path):
    small = compose([f"experiment={tiny}"], root=str(tmp_path))
    big = compose([f"experiment={base}"], root=str(tmp_path))
    assert big.experiment_name == base
    assert big.model.name_or_path == "aubmindlab/bert-base-arabertv02" and big.model.max_length == 512
    assert (big.data, big.task, big.seed) == (small.data, small.task, small.seed)
    differ = {k for k, v in asdict(big.trainer).items() if asdict(small.trainer)[k] != v}
    assert differ <= OPTIMISATION and {"lr", "precision"} <= differ
    assert big.trainer.lr == 3e-5 and big.trainer.precision == "bf16"


@pytest.mark.parametrize("base", [b for _, b in PAIRS])
def test_base_recipe_trains_and_saves_its_settings(base, compose_cfg, tmp_path, root):
    """Two steps on the seed article with the base shape's stand-in (bf16 autocast on the CPU):
    the model carries the recipe's context settings and thresholds tuned on dev."""
    from araft.run import run_training

    cfg = compose_cfg(f"experiment={base}", "model.standin=true", f"model.shape={small_shape(tmp_path)}",
                      "data=seed_claims", "data.entity_labels=[PERS,LOC,ORG,MISC]",
                      "data.extra_train={}", "data.extra_eval={}", "trainer.max_steps=2",
                      "task.tfidf_context=false",  # one article: no folds to hold out
                      "trainer.dataloader_workers=0", "trainer.bootstrap=20")
    run_training(cfg, tmp_path / "run")
    saved = json.loads((tmp_path / "run" / "model" / "config.json").read_text(encoding="utf-8"))
    settings = saved["araft"]
    assert settings["task"] == cfg.task.name and settings["preprocess"] == "arabertv02"
    assert settings["context"] == 1 and settings["context_words"] == cfg.task.context_words
    assert set(settings["thresholds"]) == {"claim", "obstacle"}
    metrics = json.loads((tmp_path / "run" / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["experiment"] == base
