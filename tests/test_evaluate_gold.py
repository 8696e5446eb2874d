"""`araft evaluate` refuses a file without the layer the model predicts, instead of printing
micro F1 0.000 (issue 16): a claims model on CoNLL NER data, an NER model on sentence-only data.
The models are the embedded encoder with an untrained head, saved as araft saves a model."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from araft.cli import main

ROOT = Path(__file__).resolve().parents[1]
ENCODER = ROOT / "models" / "arabert-mini-news"
SEED_JSONL = ROOT / "seeds" / "seed.jsonl"
CONLL = ROOT / "data" / "aqmar" / "test.conll"


def untrained(task: str):
    """(the embedded encoder with an untrained claims or NER head, its ModelSettings)."""
    from transformers import AutoModelForSequenceClassification, AutoModelForTokenClassification

    from araft.modelio import ModelSettings

    if task == "claims":
        labels = ["claim", "obstacle"]
        model = AutoModelForSequenceClassification.from_pretrained(
            ENCODER, num_labels=2, id2label=dict(enumerate(labels)),
            label2id={x: i for i, x in enumerate(labels)},
            problem_type="multi_label_classification")
        settings = ModelSettings(task="claims", preprocess="arabertv02", max_length=64,
                                 thresholds={"claim": 0.5, "obstacle": 0.5})
    else:
        tags = ["O", "B-PERS", "I-PERS", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC"]
        model = AutoModelForTokenClassification.from_pretrained(
            ENCODER, num_labels=len(tags), id2label=dict(enumerate(tags)),
            label2id={x: i for i, x in enumerate(tags)})
        settings = ModelSettings(task="ner", preprocess="arabertv02", max_length=64)
    return model, settings


def _save(folder: Path, task: str) -> Path:
    from transformers import AutoTokenizer

    from araft.modelio import attach_settings

    model, settings = untrained(task)
    attach_settings(model.config, settings)
    model.save_pretrained(folder)
    AutoTokenizer.from_pretrained(ENCODER).save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def models(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("eval_models")
    return {task: _save(base / task, task) for task in ("claims", "ner")}


def _refused(capsys, argv: list[str]) -> str:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert "micro F1" not in captured.out
    assert "Traceback" not in captured.err
    # the error is one line, the last (transformers' weight-loading progress bar may come before)
    [err] = [line for line in captured.err.splitlines() if "error" in line]
    assert err.startswith("araft evaluate: error: ") and captured.err.rstrip().endswith(err)
    return err


def test_a_claims_model_on_conll_ner_data_is_refused(models, capsys, tmp_path):
    err = _refused(capsys, ["evaluate", str(models["claims"]), "--data", str(CONLL),
                            "--bootstrap", "5", "--out", str(tmp_path / "eval")])
    assert str(CONLL) in err and "has no sentence labels" in err and "claims model" in err
    assert "CoNLL" in err
    assert not (tmp_path / "eval").exists()


def test_a_claims_model_on_sentences_without_labels_is_refused(models, capsys, tmp_path):
    article = json.loads(SEED_JSONL.read_text(encoding="utf-8").splitlines()[0])
    for sentence in article["sentences"]:
        sentence["labels"] = []
    data = tmp_path / "unlabelled.jsonl"
    data.write_text(json.dumps(article, ensure_ascii=False) + "\n", encoding="utf-8")
    err = _refused(capsys, ["evaluate", str(models["claims"]), "--data", str(data),
                            "--bootstrap", "5"])
    assert str(data) in err and "has no sentence labels" in err


def test_an_ner_model_on_data_without_entities_is_refused(models, capsys, tmp_path):
    article = json.loads(SEED_JSONL.read_text(encoding="utf-8").splitlines()[0])
    article["entities"] = []  # the sentence labels stay: claims data, no NER layer
    data = tmp_path / "claims_only.jsonl"
    data.write_text(json.dumps(article, ensure_ascii=False) + "\n", encoding="utf-8")
    err = _refused(capsys, ["evaluate", str(models["ner"]), "--data", str(data),
                            "--bootstrap", "5"])
    assert str(data) in err and "has no entity annotations" in err and "ner model" in err


@pytest.mark.parametrize("task", ["claims", "ner"])
def test_data_with_the_models_layer_is_scored(models, capsys, task):
    assert main(["evaluate", str(models[task]), "--data", str(SEED_JSONL), "--bootstrap", "5"]) == 0
    out = capsys.readouterr().out
    assert "micro F1" in out and "(34 sentences)" in out
