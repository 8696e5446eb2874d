"""task.tfidf_blend: TF-IDF + logistic regression fitted beside the encoder on the real corpus, saved
as plain data, its weight chosen on dev with the thresholds, and applied wherever the saved model
predicts (predict, evaluate, the Python API); refused where it cannot hold."""
from __future__ import annotations

import json

import numpy as np
import pytest

from araft.corpus.jsonl import read_jsonl
from araft.errors import ConfigError, DataError
from araft.tasks.claims.blend import WEIGHTS, blend, choose_blend
from araft.tasks.claims.tfidf import ARRAYS_FILE, C_GRID, SETTINGS_FILE, TfidfModel, fit_tfidf

from conftest import ROOT, compose_in

LABELS = ["claim", "obstacle"]


def sentences(split: str):
    texts, gold = [], []
    for art in read_jsonl(ROOT / "data" / "claims_obstacles" / f"{split}.jsonl"):
        for s in art.sentences:
            texts.append(art.text[s.start:s.end])
            gold.append([lab in s.labels for lab in LABELS])
    return texts, np.array(gold)


@pytest.fixture(scope="module")
def corpus():
    return sentences("train"), sentences("dev")


@pytest.fixture(scope="module")
def fitted(corpus):
    (train, dev) = corpus
    return fit_tfidf(*train, *dev, LABELS)


def test_tfidf_learns_both_labels_and_chooses_c_on_dev(fitted, corpus):
    from sklearn.metrics import roc_auc_score

    _, (texts, gold) = corpus
    probs = fitted.probs(texts)
    assert probs.shape == (len(texts), 2) and np.allclose(probs, fitted.dev_probs)
    # measured 0.895 / 0.858 (docs/benchmarks.md); a broken feature or label order falls far below
    assert roc_auc_score(gold[:, 0], probs[:, 0]) > 0.85
    assert roc_auc_score(gold[:, 1], probs[:, 1]) > 0.8
    assert set(fitted.chosen) == set(LABELS) and all(c["C"] in C_GRID for c in fitted.chosen.values())


def test_the_saved_model_is_plain_data_and_scores_exactly_as_fitted(fitted, corpus, tmp_path):
    fitted.save(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [SETTINGS_FILE, ARRAYS_FILE]
    meta = json.loads((tmp_path / SETTINGS_FILE).read_text(encoding="utf-8"))
    assert meta["labels"] == LABELS and [p["analyzer"] for p in meta["parts"]] == ["word", "char_wb"]
    assert sum(len(p["terms"]) for p in meta["parts"]) == fitted.coef.shape[1]
    loaded = TfidfModel.load(tmp_path)
    texts = corpus[1][0]
    assert np.array_equal(loaded.probs(texts), fitted.probs(texts))
    assert loaded.probs([]).shape == (0, 2)


def test_a_model_fitted_with_another_scikit_learn_is_warned_about(fitted, corpus, tmp_path, caplog):
    fitted.save(tmp_path)
    meta = json.loads((tmp_path / SETTINGS_FILE).read_text(encoding="utf-8"))
    assert meta["fitted_with"].startswith("scikit-learn ")
    with caplog.at_level("WARNING", logger="araft.tasks.claims.tfidf"):
        TfidfModel.load(tmp_path)
    assert not caplog.records
    meta["fitted_with"] = "scikit-learn 0.24.2"
    (tmp_path / SETTINGS_FILE).write_text(json.dumps(meta), encoding="utf-8")
    with caplog.at_level("WARNING", logger="araft.tasks.claims.tfidf"):
        loaded = TfidfModel.load(tmp_path)
    assert "fitted with scikit-learn 0.24.2" in caplog.text
    assert np.array_equal(loaded.probs(corpus[1][0][:5]), fitted.probs(corpus[1][0][:5]))


def test_missing_or_damaged_files_are_named(fitted, tmp_path):
    fitted.save(tmp_path)
    meta = json.loads((tmp_path / SETTINGS_FILE).read_text(encoding="utf-8"))
    meta["parts"][0]["terms"] = meta["parts"][0]["terms"][1:]
    (tmp_path / SETTINGS_FILE).write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ConfigError, match=f"{tmp_path}: tfidf.json / tfidf.safetensors are damaged"):
        TfidfModel.load(tmp_path)  # one term fewer than idf weights
    (tmp_path / SETTINGS_FILE).write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError, match="are damaged"):
        TfidfModel.load(tmp_path)
    (tmp_path / ARRAYS_FILE).unlink()
    with pytest.raises(ConfigError, match=f"{tmp_path}: tfidf.safetensors is missing"):
        TfidfModel.load(tmp_path)


def test_a_label_on_no_train_sentence_is_refused(corpus):
    (texts, gold), dev = corpus
    none = gold.copy()
    none[:, 1] = False
    with pytest.raises(DataError, match="train.jsonl: task.tfidf_blend: label 'obstacle' is on no train sentence"):
        fit_tfidf(texts, none, *dev, LABELS, source="train.jsonl")


def test_the_blend_runs_from_the_encoder_to_tfidf():
    enc, tf = np.array([[0.9, 0.2]]), np.array([[0.4, 0.6]])
    assert np.array_equal(blend(enc, tf, 0.0), enc)
    assert np.allclose(blend(enc, tf, 1.0), tf)
    assert np.allclose(blend(np.array([0.8]), np.array([0.2]), 0.5), 0.5)  # logits +l and -l
    assert np.isfinite(blend(np.array([0.0, 1.0]), np.array([1.0, 0.0]), 0.3)).all()


def test_dev_keeps_the_encoder_unless_tfidf_helps(corpus):
    """An encoder that separates dev keeps weight 0 (ties go to the smaller weight); noise beside a
    TF-IDF that separates takes TF-IDF's side, with thresholds that then separate dev too."""
    _, (_, gold) = corpus
    rng = np.random.default_rng(0)
    separating, noise = np.where(gold, 0.8, 0.3), rng.uniform(0.05, 0.95, gold.shape)
    keep = choose_blend(gold, separating, noise, LABELS)
    assert keep.weight == 0.0 and keep.tried[0.0][1] == 1.0 and list(keep.tried) == list(WEIGHTS)
    take = choose_blend(gold, noise, separating, LABELS)
    assert take.weight > 0 and take.tried[take.weight][1] == 1.0 > take.tried[0.0][1]
    assert take.thresholds == take.tried[take.weight][0]


def _scores(path):
    return [[s.scores[lab] for lab in LABELS] for a in read_jsonl(path) for s in a.sentences]


@pytest.mark.parametrize("experiment", ["seed_claims_overfit", "seed_joint_overfit"])
def test_a_run_saves_the_blend_and_the_saved_model_applies_it(experiment, tmp_path, monkeypatch):
    """Two steps on the seed article (train = dev): the encoder has learnt little, TF-IDF has the
    whole article, so dev chooses a weight above 0. The saved folder predicts exactly what the run
    scored, the encoder alone does not, and a folder without its TF-IDF files is refused by name."""
    from araft.inference import Predictor
    from araft.modelcheck import ModelError, check_model_dir
    from araft.run import run_training

    cfg = compose_in(tmp_path, f"experiment={experiment}", "trainer.max_steps=2",
                     "task.tfidf_blend=true", "data.extra_eval={}")
    run_training(cfg, tmp_path / "run")
    model_dir = tmp_path / "run" / "model"
    settings = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))["araft"]
    assert settings["tfidf_weight"] in WEIGHTS and settings["tfidf_weight"] > 0
    seed = read_jsonl(ROOT / "seeds" / "seed.jsonl")
    predictor = Predictor.from_pretrained(model_dir)
    again = [[s.scores[lab] for lab in LABELS] for a in predictor.predict_articles(seed)
             for s in a.sentences]
    assert np.allclose(again, _scores(tmp_path / "run" / "predictions" / "dev.jsonl"), atol=1e-6)
    # the encoder alone (--no-tfidf): its own scores, decided with the thresholds dev chose for them
    assert set(settings["encoder_thresholds"]) == set(LABELS)
    alone = Predictor.from_pretrained(model_dir).without_tfidf()
    assert alone.tfidf is None and alone.settings.tfidf_weight == 0.0
    assert alone.settings.thresholds == settings["encoder_thresholds"]
    found = [s for a in alone.predict_articles(seed) for s in a.sentences]
    encoder = np.array([[s.scores[lab] for lab in LABELS] for s in found])
    assert not np.allclose(encoder, again, atol=1e-3)
    assert np.allclose(blend(encoder, predictor.tfidf.probs([seed[0].text[s.start:s.end] for s in found]),
                             settings["tfidf_weight"]), again, atol=1e-5)
    cuts = np.array([settings["encoder_thresholds"][lab] for lab in LABELS])
    assert [set(s.labels) for s in found] == [{lab for lab, on in zip(LABELS, row) if on}
                                               for row in encoder >= cuts]
    # loaded for the encoder alone (--no-tfidf), the TF-IDF model is never read, and scores the same
    from araft.tasks.claims.tfidf import TfidfModel

    with monkeypatch.context() as m:
        m.setattr(TfidfModel, "load", classmethod(lambda cls, path: pytest.fail("TF-IDF was read")))
        light = Predictor.from_pretrained(model_dir, tfidf=False)
    assert light.tfidf is None and light.settings == alone.settings
    assert [s.scores for a in light.predict_articles(seed) for s in a.sentences] == [s.scores for s in found]
    report = (tmp_path / "run" / "report.md").read_text(encoding="utf-8")
    assert f"weight {settings['tfidf_weight']:g} on TF-IDF's logits" in report
    found = json.loads((tmp_path / "run" / "metrics.json").read_text(encoding="utf-8"))["finalized"]["tfidf_blend"]
    dev = found["dev_micro_f1"]
    assert found["weight"] == settings["tfidf_weight"] and list(dev) == [f"{w:g}" for w in WEIGHTS]
    chosen = dev[f"{found['weight']:g}"]
    assert chosen > dev["0"]
    assert f"dev micro F1 {dev['0']:.3f} with the encoder alone, {chosen:.3f} at this weight" in report
    from araft.hub.staging import stage_run

    staged = stage_run(tmp_path / "run", tmp_path / "stage", repo_id="x/y")
    assert {SETTINGS_FILE, ARRAYS_FILE} <= set(staged.files)
    if experiment == "seed_joint_overfit":  # its standard sentence model blends as the joint one
        assert f"sentence-classification/{SETTINGS_FILE}" in staged.files
        sentence = Predictor.from_pretrained(staged.path / "sentence-classification")
        assert sentence.settings.tfidf_weight == settings["tfidf_weight"] and sentence.tfidf
        assert sentence.settings.encoder_thresholds == settings["encoder_thresholds"]
        token = Predictor.from_pretrained(staged.path / "token-classification").settings
        assert not token.tfidf_weight and not token.encoder_thresholds
    card = (staged.path / "README.md").read_text(encoding="utf-8")
    assert "Plain transformers gives the encoder's scores alone" in card
    assert "Decide the encoder's scores with `araft.encoder_thresholds`" in card
    assert f"weight {settings['tfidf_weight']:g} on TF-IDF's logits, chosen on dev" in card
    (model_dir / SETTINGS_FILE).unlink()
    with pytest.raises(ModelError, match=f"{model_dir}: tfidf.json is missing, but config.json blends"):
        check_model_dir(model_dir)


@pytest.mark.parametrize("override,message", [
    ("task.multi_label=false", "needs task.multi_label=true and task.tune_thresholds=true"),
    ("task.tune_thresholds=false", "needs task.multi_label=true and task.tune_thresholds=true"),
])
def test_settings_that_cannot_choose_a_weight_are_refused(override, message, tmp_path):
    with pytest.raises(ConfigError, match=message):
        compose_in(tmp_path, "experiment=seed_claims_overfit", "task.tfidf_blend=true", override)


def test_a_run_without_dev_is_refused_before_any_model_loads(tmp_path):
    from araft.run import run_training

    cfg = compose_in(tmp_path, "experiment=seed_claims_overfit", "task.tfidf_blend=true", "data.dev=null")
    with pytest.raises(ConfigError, match="task.tfidf_blend chooses TF-IDF's weight on dev: set data.dev"):
        run_training(cfg, tmp_path / "run")


def test_predictors_refuse_a_missing_or_foreign_tfidf_model(root, fitted):
    from dataclasses import replace

    from araft.inference import Predictor
    from araft.modelio import ModelSettings
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    path = root / "models" / "arabert-tiny"
    model = AutoModelForSequenceClassification.from_pretrained(
        path, num_labels=2, id2label=dict(enumerate(LABELS)))
    tokenizer = AutoTokenizer.from_pretrained(path)
    settings = ModelSettings(task="claims", preprocess="arabertv02", max_length=64, tfidf_weight=0.3)
    with pytest.raises(ConfigError, match=r"blend the sentence scores with TF-IDF \(weight 0.3\)"):
        Predictor.for_task(model, tokenizer, settings)
    swapped = replace(fitted, labels=LABELS[::-1])
    with pytest.raises(ConfigError, match="TF-IDF model's labels .* are not the model's"):
        Predictor.for_task(model, tokenizer, settings, tfidf=swapped)
    assert Predictor.for_task(model, tokenizer, settings, tfidf=fitted).tfidf is fitted


def test_the_encoder_alone_from_the_command_line(tmp_path, capsys):
    """`araft predict/evaluate --no-tfidf` on a run that blends: the encoder's scores, its own
    thresholds, and a report that says the blend was off; the blended evaluation differs."""
    from araft.cli import main
    from araft.run import run_training

    cfg = compose_in(tmp_path, "experiment=seed_claims_overfit", "trainer.max_steps=2",
                     "task.tfidf_blend=true", "data.extra_eval={}")
    run_training(cfg, tmp_path / "run")
    model_dir = tmp_path / "run" / "model"
    settings = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))["araft"]
    seed = ROOT / "seeds" / "seed.jsonl"
    assert main(["predict", str(model_dir), str(seed), "--no-tfidf", "-o", str(tmp_path / "alone.jsonl")]) == 0
    assert main(["predict", str(model_dir), str(seed), "-o", str(tmp_path / "blend.jsonl")]) == 0
    assert not np.allclose(_scores(tmp_path / "alone.jsonl"), _scores(tmp_path / "blend.jsonl"), atol=1e-3)
    assert main(["evaluate", str(model_dir), "--data", str(seed), "--no-tfidf", "--out", str(tmp_path / "ev")]) == 0
    metrics = json.loads((tmp_path / "ev" / "metrics.json").read_text(encoding="utf-8"))["splits"]["eval"]
    assert metrics["tfidf_blend"] == "off" and metrics["thresholds"] == settings["encoder_thresholds"]
    assert np.allclose(_scores(tmp_path / "ev" / "predictions" / "eval.jsonl"), _scores(tmp_path / "alone.jsonl"))
    report = (tmp_path / "ev" / "report.md").read_text(encoding="utf-8")
    assert "off for this evaluation (--no-tfidf)" in report
    assert f"weight {settings['tfidf_weight']:g} on TF-IDF's logits" not in report
    # the blend against the encoder alone, paired over the same sentences
    assert main(["evaluate", str(model_dir), "--data", str(seed), "--out", str(tmp_path / "evb")]) == 0
    assert main(["compare", str(tmp_path / "ev"), str(tmp_path / "evb"), "--out", str(tmp_path / "cmp")]) == 0
    compared = (tmp_path / "cmp" / "compare.md").read_text(encoding="utf-8")
    blended = json.loads((tmp_path / "evb" / "metrics.json").read_text(encoding="utf-8"))["splits"]["eval"]
    assert f"| micro F1 | {metrics['micro_f1']:.3f} | {blended['micro_f1']:.3f} | " in compared
    assert "| evaluated with TF-IDF blend | off | as saved |" in compared


def test_the_encoder_alone_is_refused_where_it_cannot_be_decided(seed_ner_run, root, monkeypatch):
    """A blending model saved without araft.encoder_thresholds cannot decide its encoder's scores
    (the blend's thresholds were tuned on other scores); an NER model has no blend to turn off."""
    from araft.cli.predict import load_predictor
    from araft.modelio import ModelSettings
    from araft.tasks.claims.blend import encoder_alone

    old = ModelSettings(task="claims", preprocess="arabertv02", max_length=64, tfidf_weight=0.3,
                        thresholds={"claim": 0.4, "obstacle": 0.2})
    with pytest.raises(ConfigError, match="old/model blends its sentence scores with TF-IDF but has no "
                                          "araft.encoder_thresholds"):
        encoder_alone(old, "old/model")
    plain = ModelSettings(task="claims", preprocess="arabertv02", max_length=64)
    assert encoder_alone(plain) is plain
    from araft.inference import Predictor

    # refused from its config, before any weights load
    monkeypatch.setattr(Predictor, "saved_model", classmethod(lambda cls, path: pytest.fail("weights loaded")))
    with pytest.raises(ConfigError, match="--no-tfidf: .* is a ner model; only claims and joint"):
        load_predictor(seed_ner_run[0] / "model", tfidf=False)


def test_the_report_says_when_dev_kept_the_encoder_alone():
    """A run that tried the blend and kept weight 0 saves nothing beside the weights; its report
    still says the blend was tried and what dev scored."""
    from araft.reporting.run_summary import blend_note

    note = blend_note(None, False, {"weight": 0.0, "dev_micro_f1": {"0": 0.7712, "0.1": 0.7650}})
    assert note.startswith("tried: dev kept the encoder alone (weight 0), so nothing is saved")
    assert note.endswith("dev micro F1 0.771 with the encoder alone, 0.765 at best blended (weight 0.1)")
