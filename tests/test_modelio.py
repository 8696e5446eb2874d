"""The preprocessing mode travels in the model's config.json and is never guessed from a name."""
from __future__ import annotations

import pytest
from transformers import BertConfig

from araft.errors import ConfigError
from araft.modelio import ModelSettings, attach_settings, settings_from_config
from araft.tasks.base_model import check_base_mode


def test_settings_round_trip_through_config(tmp_path):
    cfg = BertConfig(vocab_size=10, hidden_size=8, num_hidden_layers=1, num_attention_heads=2,
                     intermediate_size=8)
    attach_settings(cfg, ModelSettings(task="ner", preprocess="arabertv02", max_length=64, stride=4))
    cfg.save_pretrained(tmp_path)
    back = settings_from_config(BertConfig.from_pretrained(tmp_path), where=str(tmp_path))
    assert back == ModelSettings(task="ner", preprocess="arabertv02", max_length=64, stride=4)


def test_model_without_settings_is_refused_not_guessed():
    cfg = BertConfig(name_or_path="aubmindlab/bert-base-arabertv02")
    with pytest.raises(ConfigError, match="no 'araft' settings"):
        settings_from_config(cfg, where="aubmindlab/bert-base-arabertv02")


def test_unknown_saved_mode_is_refused():
    cfg = BertConfig()
    cfg.araft = {"preprocess": "arabertv7", "task": "ner"}
    with pytest.raises(ConfigError, match="unknown preprocessing mode 'arabertv7'"):
        settings_from_config(cfg, where="m")


def test_base_model_mode_must_match_the_model_config():
    cfg = BertConfig()
    cfg.araft = {"preprocess": "arabertv02"}
    check_base_mode(cfg, "arabertv02", "models/arabert-tiny")
    with pytest.raises(ConfigError, match="set model.preprocess=arabertv02"):
        check_base_mode(cfg, "none", "models/arabert-tiny")
