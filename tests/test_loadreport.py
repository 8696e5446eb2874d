"""The console stays quiet about a normal new head and loud about encoder weights that are missing
(araft.loadreport): real loads of the embedded model, whole and with encoder tensors removed."""
from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from araft.config import ModelConfig, load_model

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "arabert-mini-news"


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture
def transformers_log():
    """What transformers logs (its library logger does not propagate to the root, so caplog
    would see nothing either way)."""
    handler = _Records()
    logger = logging.getLogger("transformers")
    # at its default verbosity: importing benchmarks.common (test_benchmarks_quick) sets
    # TRANSFORMERS_VERBOSITY=error for the rest of the session, and the report would not be logged
    level = logger.level
    logger.setLevel(logging.WARNING)
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def _model(path: Path) -> ModelConfig:
    return ModelConfig(name="m", name_or_path=str(path), preprocess="arabertv02")


@pytest.mark.parametrize("auto", ["AutoModelForTokenClassification",
                                  "AutoModelForSequenceClassification"])
def test_a_new_head_loads_without_the_report(auto, transformers_log, caplog):
    import transformers

    auto_cls = getattr(transformers, auto)
    # transformers itself finds keys to report: the new head (and, for sentences, the pooler)
    _, info = auto_cls.from_pretrained(str(MODEL), num_labels=3, output_loading_info=True)
    assert any(k.startswith("classifier.") for k in info["missing_keys"])
    assert any("LOAD REPORT" in m for m in transformers_log)
    transformers_log.clear()

    with caplog.at_level(logging.WARNING, logger="araft"):
        model = load_model(auto_cls, _model(MODEL), num_labels=3)
    assert model.config.num_labels == 3
    assert not any("LOAD REPORT" in m for m in transformers_log)
    assert not [r for r in caplog.records if r.name.startswith("araft")]


def test_missing_encoder_weights_are_reported(tmp_path, transformers_log, caplog):
    from safetensors.torch import load_file, save_file
    from transformers import AutoModelForTokenClassification

    damaged = tmp_path / "damaged"
    shutil.copytree(MODEL, damaged)
    weights = load_file(damaged / "model.safetensors")
    gone = ["bert.encoder.layer.0.attention.self.query.weight",
            "bert.encoder.layer.0.attention.self.query.bias"]
    for key in gone:
        del weights[key]
    save_file(weights, damaged / "model.safetensors", metadata={"format": "pt"})

    with caplog.at_level(logging.WARNING, logger="araft"):
        load_model(AutoModelForTokenClassification, _model(damaged), num_labels=3)
    [report] = [m for m in transformers_log if "LOAD REPORT" in m]  # transformers' table is kept
    assert "classifier" in report and "attention.self.query" in report
    [line] = [r.getMessage() for r in caplog.records if r.name == "araft.load"]
    assert "2 encoder weight(s)" in line and all(key in line for key in gone)
    assert "classifier" not in line  # the head is normal, and not named as a problem


def test_which_missing_keys_are_a_problem():
    from araft.loadreport import unexpectedly_missing

    class Encoder:
        pass

    class WithHead:
        base_model_prefix = "bert"
        bert = Encoder()

    class Bare:
        base_model_prefix = "bert"

    keys = {"classifier.weight", "bert.pooler.dense.bias", "bert.embeddings.word_embeddings.weight"}
    assert unexpectedly_missing(WithHead(), keys) == ["bert.embeddings.word_embeddings.weight"]
    assert unexpectedly_missing(Bare(), keys) == sorted(keys)  # no head: every key is its own
