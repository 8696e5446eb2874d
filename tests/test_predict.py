"""`araft predict`, the Python API, and the trained NER folder in plain transformers.pipeline."""
from __future__ import annotations

import io
import json

import pytest

from conftest import SEED_JSONL, SEED_TXT

pytestmark = pytest.mark.filterwarnings("ignore")


def _rows(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _check_spans(row: dict) -> None:
    for ent in row["entities"]:
        assert row["text"][ent["start"]:ent["end"]] == ent["text"]
        assert 0.0 < ent["score"] <= 1.0


def test_predict_cli_on_the_seed_text(seed_ner_run, tmp_path, capsys):
    from araft.cli import main

    run, _ = seed_ner_run
    out = tmp_path / "pred.jsonl"
    assert main(["predict", str(run), str(SEED_TXT), "--output", str(out), "--batch-size", "4"]) == 0
    [row] = _rows(out.read_text(encoding="utf-8"))
    assert row["id"] == SEED_TXT.stem
    assert row["text"] == SEED_TXT.read_text(encoding="utf-8")  # the original text, untouched
    assert len(row["entities"]) >= 10  # the overfit model finds the seed's names
    _check_spans(row)
    gold = _rows(SEED_JSONL.read_text("utf-8"))[0]["entities"]
    found = {(e["start"], e["end"], e["label"]) for e in row["entities"]}
    # exact spans, proclitics cut off as the gold has them («الولايات المتحدة» of «والولايات»)
    hits = [g for g in gold if (g["start"], g["end"], g["label"]) in found]
    assert len(hits) >= 0.8 * len(gold)


def test_stdin_and_the_other_formats(seed_ner_run, monkeypatch, capsys):
    from araft.cli import main

    run, _ = seed_ner_run
    text = SEED_TXT.read_text(encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    assert main(["predict", str(run), "-"]) == 0
    [row] = _rows(capsys.readouterr().out)
    assert row["id"] == "stdin" and row["text"] == text
    _check_spans(row)

    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    assert main(["predict", str(run), "-", "--format", "conll"]) == 0
    lines = [ln.split("\t") for ln in capsys.readouterr().out.splitlines() if ln.strip()]
    tags = [cols[1] for cols in lines if cols[0] != "-DOCSTART-"]
    assert sum(t.startswith("B-") for t in tags) == len(row["entities"])

    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    assert main(["predict", str(run), "-", "--format", "text"]) == 0
    listing = capsys.readouterr().out
    assert listing.startswith("# stdin")
    for ent in row["entities"]:
        assert text[ent["start"]:ent["end"]] in listing


def test_jsonl_input_gold_entities_are_replaced(seed_ner_run):
    from araft.cli.predict import predict_file

    run, _ = seed_ner_run
    [pred] = predict_file(run, SEED_JSONL)
    assert pred.entities and all(e.score is not None for e in pred.entities)
    assert pred.sentences is not None  # the input's own sentence spans were used and kept


def test_python_api(seed_ner_run):
    from araft import Predictor
    from araft.cli.predict import predict_file

    run, _ = seed_ner_run
    text = SEED_TXT.read_text(encoding="utf-8")
    article = Predictor.from_pretrained(run).predict(text)
    assert article.text == text and article.entities
    for e in article.entities:
        assert text[e.start:e.end].strip() == text[e.start:e.end] != ""
    # the CLI's function gives the same spans (model folder path works as well as the run)
    [again] = predict_file(run / "model", SEED_TXT)
    assert [(e.start, e.end, e.label) for e in again.entities] == \
        [(e.start, e.end, e.label) for e in article.entities]


def test_plain_transformers_pipeline_agrees(seed_ner_run):
    """The saved folder works in transformers.pipeline on preprocess_text'ed sentences, and finds
    the entities araft finds (araft scores each sentence alone, so the pipeline gets sentences)."""
    from transformers import pipeline

    from araft import Predictor
    from araft.corpus.segment import split_sentences
    from araft.preprocessing import preprocess_text

    run, _ = seed_ner_run
    text = SEED_TXT.read_text(encoding="utf-8")
    predictor = Predictor.from_pretrained(run)
    mode = predictor.settings.preprocess
    ner = pipeline("token-classification", model=str(run / "model"), aggregation_strategy="first",
                   device="cpu")
    ours, theirs = [], []
    predicted = predictor.predict(text)
    for start, end in split_sentences(text):
        ours += [(e.label, preprocess_text(text[e.start:e.end], mode))
                 for e in predicted.entities if start <= e.start < end]
        theirs += [(g["entity_group"], g["word"]) for g in ner(preprocess_text(text[start:end], mode))]
    assert ours
    agree = sum(1 for x in ours if x in theirs)
    assert agree >= 0.9 * len(ours), (ours, theirs)


def test_errors_are_clear(tmp_path, capsys):
    from araft.cli import main
    from araft.cli.predict import render
    from araft.corpus.article import Article
    from araft.errors import AraftError

    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    assert main(["predict", str(tmp_path), str(empty)]) == 2  # input checked before the model
    assert f"{empty}: empty" in capsys.readouterr().err
    article = tmp_path / "a.txt"
    article.write_text("نص قصير.", encoding="utf-8")
    assert main(["predict", str(tmp_path), str(article)]) == 2  # tmp_path is not a model
    assert "neither a run directory" in capsys.readouterr().err
    with pytest.raises(AraftError, match="claims model"):
        render([Article("a", "نص")], "conll", task="claims")


def test_sentence_labels_render_with_scores():
    from araft.cli.predict import render
    from araft.corpus.article import Article, Entity, Sentence

    text = "قالت الوزارة إن المشروع سيكتمل. لكن التمويل متوقف."
    art = Article("a", text, [Entity(5, 12, "ORG", 0.9)],
                  [Sentence(0, 31, ("claim",), {"claim": 0.81, "obstacle": 0.1}),
                   Sentence(32, len(text), ("obstacle",), {"claim": 0.2, "obstacle": 0.7})])
    [row] = _rows(render([art], "jsonl"))
    assert row["sentences"][0] == {"start": 0, "end": 31, "labels": ["claim"],
                                   "scores": {"claim": 0.81, "obstacle": 0.1}}
    assert row["entities"][0]["text"] == text[5:12]
    listing = render([art], "text")
    assert "claim  (claim 0.810, obstacle 0.100)" in listing and "obstacle  (claim 0.200" in listing
