"""NER end to end on the seed article: overfit, offsets, windows, determinism, resume."""
from __future__ import annotations

import json
import shutil
import unicodedata

import numpy as np
import pytest

from araft.corpus.article import Article
from araft.inference import Predictor
from araft.run import run_training
from araft.rundir import RunDir

from conftest import SEED_TXT, compose_in

pytestmark = pytest.mark.filterwarnings("ignore")


def test_overfits_the_seed_article(seed_ner_run):
    run, metrics = seed_ner_run
    seed = metrics["splits"]["dev"]
    assert seed["micro_f1"] >= 0.9, seed
    lo, hi = seed["ci"]["micro_f1"]
    assert lo <= seed["micro_f1"] <= hi
    assert seed["n_words"] == 667  # every word of the article was scored once
    for name in ("metrics.json", "run.json", "model/config.json", "model/model.safetensors",
                 "predictions/dev.jsonl"):
        assert (run / name).exists(), name
    saved = json.loads((run / "model" / "config.json").read_text())
    assert saved["araft"]["preprocess"] == "arabertv02"
    assert saved["araft"]["task"] == "ner"
    info = RunDir(run).info()
    assert len(info.data["train"].sha256) == 64 and info.seed == 42
    assert info.packages["transformers"].startswith("5.")
    assert info.config.task.name == "ner" and info.git.commit


def test_predictions_file_holds_spans_on_the_original_text(seed_ner_run):
    run, _ = seed_ner_run
    row = json.loads((run / "predictions" / "dev.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert row["text"] == SEED_TXT.read_text(encoding="utf-8")
    assert row["entities"]
    for ent in row["entities"]:
        assert row["text"][ent["start"]:ent["end"]] == ent["text"]
        assert 0.0 < ent["score"] <= 1.0


def _wordy(char: str) -> bool:
    """Part of a word: a letter or digit, a diacritic (combining mark) or tatweel."""
    return char.isalnum() or unicodedata.category(char) == "Mn" or char == "\u0640"


def test_spans_land_on_original_text_with_marks(seed_ner_run):
    """Diacritics, tatweel, clitics, both quote directions and Latin words never shift a span."""
    run, _ = seed_ner_run
    predictor = Predictor.from_pretrained(run)
    text = ("أعلن المبعوث الخاص، كيريـــل دميترِييف، عن بدء محادثات بين روسيا "
            "والولايات المتحدة في ميامي (Miami). ووفقًا لدميترييف فإن «الحوار» “بناء” مع موسكو.")
    art = predictor.predict(text)
    assert art.entities, "the overfit model finds the seed's names"
    for ent in art.entities:
        surface = text[ent.start:ent.end]
        assert surface == surface.strip() and surface
        # spans end on word boundaries of the original text; they start on one too, or right
        # after a proclitic the predictor cut off (ANNOTATION.md)
        before = text[max(0, ent.start - 2):ent.start]
        assert ent.start == 0 or not before[-1].isalnum() or (
            before[-1] in "وفبلك" and (ent.start == 1 or not text[ent.start - 2].isalnum()
                                       or before in ("وب", "ول", "وك", "فب", "فل", "فك")))
        # a span may be a punctuation token next to a word («(» before «Miami»), never half a word
        assert ent.end == len(text) or not (_wordy(text[ent.end - 1]) and _wordy(text[ent.end]))
    surfaces = {text[e.start:e.end] for e in art.entities}
    assert any("روسيا" in s for s in surfaces), surfaces
    # «والولايات» comes back without its «و», «لدميترييف» without its «ل»
    assert not any(s.startswith(("والولايات", "لدميترييف")) for s in surfaces), surfaces


def test_long_sentence_gets_one_prediction_per_word(seed_ner_run):
    run, _ = seed_ner_run
    full = Predictor.from_pretrained(run)
    sentence = " ".join(["أعلن كيريل دميترييف عن بدء محادثات بين روسيا والولايات المتحدة في ميامي،"] * 10)
    art = Article("long", sentence + ".")
    n_sub = sum(len(x) for x in full.encoder.ids([w.text for w in full.predict_words([art]).sentences[0].words]))
    windowed = type(full)(full.model, full.tokenizer,
                          type(full.settings)(**{**full.settings.to_dict(),
                                                 "max_length": n_sub // 3, "stride": 8}))
    a = full.predict_words([art])
    b = windowed.predict_words([art])
    assert len(a.sentences) == len(b.sentences) == 1
    n_words = len(a.sentences[0].words)
    assert len(a.tags[0]) == len(b.tags[0]) == n_words
    # context differs only near window edges: the tags agree on nearly every word
    agree = np.mean([x == y for x, y in zip(a.tags[0], b.tags[0])])
    assert agree >= 0.9, agree


def _short_cfg(base, *extra):
    return compose_in(base, "experiment=seed_overfit", "trainer.max_steps=6", "trainer.epochs=1",
                      "trainer.lr=5e-4", "trainer.batch_size=8", "trainer.eval_strategy=steps",
                      "trainer.eval_steps=3", "trainer.save_total_limit=null", "trainer.bootstrap=50",
                      *extra)


def _scores(metrics):
    return {k: v for k, v in metrics["splits"]["dev"].items() if k not in ("file",)}


def test_same_seed_same_metrics_and_resume_matches(tmp_path):
    first = run_training(_short_cfg(tmp_path / "a"), tmp_path / "a" / "run")
    second = run_training(_short_cfg(tmp_path / "b"), tmp_path / "b" / "run")
    assert _scores(first) == _scores(second)

    # simulate a run cut off after its first checkpoint: the last one and the outputs are gone
    run = tmp_path / "b" / "run"
    ckpts = sorted((run / "checkpoints").glob("checkpoint-*"), key=lambda p: int(p.name.split("-")[1]))
    assert [p.name for p in ckpts] == ["checkpoint-3", "checkpoint-6"]
    shutil.rmtree(ckpts[-1])
    shutil.rmtree(run / "model")
    (run / "metrics.json").unlink()
    resumed = run_training(_short_cfg(tmp_path / "b", f"resume={run}"), run)
    assert RunDir(run).info().resumed_from.endswith("checkpoint-3")
    assert _scores(resumed) == _scores(first)


def test_dev_metric_refuses_words_out_of_order():
    from transformers import EvalPrediction

    from araft.tasks.ner.train import ner_compute_metrics

    id2label = {0: "O", 1: "B-PERS", 2: "I-PERS"}
    compute = ner_compute_metrics(id2label, [[1, 2, 0], [0, 1]])
    in_order = np.array([[1, 2, 0, -100], [0, 1, -100, -100]])
    assert compute(EvalPrediction(predictions=in_order.clip(0), label_ids=in_order))["f1"] == 1.0
    swapped = in_order[::-1].copy()
    with pytest.raises(RuntimeError, match="another order"):
        compute(EvalPrediction(predictions=swapped.clip(0), label_ids=swapped))


def test_length_grouped_training_evaluates_dev_in_order(tmp_path):
    # transformers 5 length-groups evaluation too when training groups by length; the dev metric
    # above raises if the windows come back reordered, so this run finishing is the check
    # (it failed so before in_order_evaluation)
    metrics = run_training(_short_cfg(tmp_path, "trainer.group_by_length=true", "trainer.batch_size=4"),
                           tmp_path / "run")
    assert "micro_f1" in metrics["splits"]["dev"]
