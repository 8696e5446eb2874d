"""task.tfidf_context: the TF-IDF model of the blend reads the sentence's article (a second stage over
its first-stage scores of the neighbours and of the whole article), fitted on out-of-fold train
scores, saved with the model and applied by every prediction path, article by article."""
from __future__ import annotations

import json

import numpy as np
import pytest

from araft.corpus.jsonl import read_jsonl, write_jsonl
from araft.errors import ConfigError
from araft.tasks.claims.tfidf import ARRAYS_FILE, SETTINGS_FILE, TfidfModel, fit_tfidf
from araft.tasks.claims.tfidf_context import context_features, feature_names, logits, out_of_fold

from conftest import ROOT, compose_in

LABELS = ["claim", "obstacle"]
CORPUS = ROOT / "data" / "claims_obstacles"


def sentences(articles):
    texts, gold, groups = [], [], []
    for art in articles:
        for s in art.sentences:
            texts.append(art.text[s.start:s.end])
            gold.append([lab in s.labels for lab in LABELS])
            groups.append(art.id)
    return texts, np.array(gold), groups


@pytest.fixture(scope="module")
def corpus():
    # 150 train articles keep the five out-of-fold fits quick; dev is the whole dev split
    return (sentences(list(read_jsonl(CORPUS / "train.jsonl"))[:150]),
            sentences(read_jsonl(CORPUS / "dev.jsonl")))


@pytest.fixture(scope="module")
def fitted(corpus):
    (train, dev) = corpus
    return fit_tfidf(*train[:2], *dev[:2], LABELS, groups=(train[2], dev[2]))


def test_the_features_of_each_sentence_come_from_its_own_article():
    probs = np.array([[0.9, 0.1], [0.5, 0.5], [0.2, 0.7],   # article a
                      [0.6, 0.3]])                          # article b, one sentence
    x = context_features(probs, ["a", "a", "a", "b"])
    names = feature_names(LABELS)
    assert x.shape == (4, len(names)) == (4, 16)
    z = logits(probs)
    row = dict(zip(names, x[1]))  # the middle sentence of a
    assert row["own.claim"] == pytest.approx(z[1, 0]) and row["previous.obstacle"] == pytest.approx(z[0, 1])
    assert row["next.claim"] == pytest.approx(z[2, 0])
    assert row["article_max.obstacle"] == pytest.approx(z[2, 1])
    assert row["article_mean.claim"] == pytest.approx((z[0, 0] + z[2, 0]) / 2)
    assert row["relative_position"] == pytest.approx(1 / 3) and row["is_first"] == row["is_last"] == 0
    first, last = dict(zip(names, x[0])), dict(zip(names, x[2]))
    assert first["previous.claim"] == 0 and first["is_first"] == 1 and last["next.obstacle"] == 0
    assert last["is_last"] == 1 and last["log_article_sentences"] == pytest.approx(np.log(3))
    alone = dict(zip(names, x[3]))  # nothing of article a reaches article b
    assert alone["article_max.claim"] == alone["previous.claim"] == alone["next.claim"] == 0
    assert alone["is_first"] == alone["is_last"] == 1 and alone["log_article_sentences"] == 0


def test_sentences_must_come_article_by_article():
    probs = np.full((3, 2), 0.5)
    with pytest.raises(ConfigError, match="sentences of article 'a' are not consecutive"):
        context_features(probs, ["a", "b", "a"])
    with pytest.raises(ConfigError, match="2 article keys for 3 sentences"):
        context_features(probs, ["a", "a"])


def test_out_of_fold_scores_never_come_from_the_sentences_own_article(corpus):
    """Out of fold, each train sentence is scored by classifiers fitted without its article: a real
    estimate, as at prediction time, not the near-perfect ranking of the sentences a classifier
    learnt from (which would teach the second stage to trust the first blindly)."""
    from sklearn.linear_model import LogisticRegression

    from araft.tasks.claims.tfidf import fit_features

    (texts, gold, groups), _ = corpus
    vecs, x = fit_features(texts)
    oof = out_of_fold(x, gold, groups, [1.0, 1.0])
    inside = LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000).fit(x, gold[:, 1])
    in_sample = inside.predict_proba(x)[:, 1]
    from sklearn.metrics import roc_auc_score

    # in sample the obstacle ranking is near perfect; out of fold it is a real estimate
    assert roc_auc_score(gold[:, 1], in_sample) > 0.99
    assert 0.6 < roc_auc_score(gold[:, 1], oof[:, 1]) < 0.95
    with pytest.raises(ConfigError, match="at least 2 articles"):
        out_of_fold(x[:5], gold[:5], ["a"] * 5, [1.0, 1.0])


def test_the_folds_follow_the_articles_order_not_their_names(corpus):
    """A joint run keys articles by (file, id), the benchmarks by id alone: the same articles in
    the same order must give the same model, whatever they are called."""
    from araft.tasks.claims.tfidf import fit_features

    (texts, gold, groups), _ = corpus
    texts, gold, groups = texts[:300], gold[:300], groups[:300]
    _, x = fit_features(texts)
    by_id = out_of_fold(x, gold, groups, [1.0, 1.0])
    rank = {g: i for i, g in enumerate(sorted(set(groups)))}
    renamed = [("train", f"zz{999 - rank[g]}") for g in groups]  # the names' order reversed
    np.testing.assert_array_equal(out_of_fold(x, gold, renamed, [1.0, 1.0]), by_id)


def test_the_article_lifts_tfidf_on_dev(fitted, corpus):
    """Measured on the full train split: dev micro F1 0.742 -> 0.781 (docs/benchmarks.md)."""
    from sklearn.metrics import roc_auc_score

    (train, (texts, gold, groups)) = corpus
    plain = fit_tfidf(*train[:2], texts, gold, LABELS)
    assert fitted.context is not None and plain.context is None
    assert np.allclose(fitted.probs(texts, groups), fitted.dev_probs)
    assert roc_auc_score(gold[:, 0], fitted.dev_probs[:, 0]) > roc_auc_score(gold[:, 0], plain.dev_probs[:, 0]) + 0.01
    with pytest.raises(ConfigError, match="reads each sentence's article .*give every sentence's article key"):
        fitted.probs(texts)


def test_the_saved_stage_scores_exactly_as_fitted_and_is_refused_when_foreign(fitted, corpus, tmp_path):
    _, (texts, _, groups) = corpus
    fitted.save(tmp_path)
    meta = json.loads((tmp_path / SETTINGS_FILE).read_text(encoding="utf-8"))
    assert meta["format"] == 2 and meta["context_features"] == feature_names(LABELS)
    assert np.array_equal(TfidfModel.load(tmp_path).probs(texts, groups), fitted.probs(texts, groups))
    meta["context_features"] = meta["context_features"][:-1]
    (tmp_path / SETTINGS_FILE).write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ConfigError, match=f"{ARRAYS_FILE} are damaged .*article-context stage's features"):
        TfidfModel.load(tmp_path)


def test_context_needs_the_blend(tmp_path):
    with pytest.raises(ConfigError, match="task.tfidf_context .* needs task.tfidf_blend=true"):
        compose_in(tmp_path, "experiment=seed_claims_overfit", "task.tfidf_context=true")


@pytest.mark.parametrize("experiment", ["seed_claims_overfit", "seed_joint_overfit"])
def test_one_train_article_is_refused_before_training(experiment, tmp_path, monkeypatch):
    """The seed article alone has no other article to hold out: refused before the model loads,
    naming the train file, not after a whole run."""
    from araft.errors import DataError
    from araft.run import run_training
    from araft.tasks.claims import train as claims_train
    from araft.tasks.joint import train as joint_train

    for module in (claims_train, joint_train):
        monkeypatch.setattr(module, "load_base", lambda cfg: pytest.fail("model loaded"))
    cfg = compose_in(tmp_path, f"experiment={experiment}", "task.tfidf_blend=true",
                     "task.tfidf_context=true", "data.extra_eval={}")
    with pytest.raises(DataError, match=r"seed.jsonl.*train has sentence labels in 1 article\(s\); it needs at least 2"):
        run_training(cfg, tmp_path / "run")


@pytest.mark.parametrize("experiment", ["seed_claims_overfit", "seed_joint_overfit"])
def test_a_run_saves_the_context_stage_and_the_saved_model_applies_it(experiment, tmp_path):
    """Two steps on 12 train and 4 dev articles of the corpus: the saved folder carries the
    article-context stage and predicts, article by article, exactly what the run scored on dev."""
    from araft.inference import Predictor
    from araft.run import run_training

    train, dev = list(read_jsonl(CORPUS / "train.jsonl"))[:12], list(read_jsonl(CORPUS / "dev.jsonl"))[:4]
    write_jsonl(train, tmp_path / "train.jsonl")
    write_jsonl(dev, tmp_path / "dev.jsonl")
    cfg = compose_in(tmp_path, f"experiment={experiment}", "trainer.max_steps=2",
                     f"data.train={tmp_path / 'train.jsonl'}", f"data.dev={tmp_path / 'dev.jsonl'}",
                     "task.tfidf_blend=true", "task.tfidf_context=true", "data.extra_eval={}")
    run_training(cfg, tmp_path / "run")
    found = json.loads((tmp_path / "run" / "metrics.json").read_text(encoding="utf-8"))["finalized"]
    assert found["tfidf_blend"]["article_context"] is True
    model_dir = tmp_path / "run" / "model"
    settings = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))["araft"]
    assert settings["tfidf_weight"] > 0  # two steps: the encoder knows little, dev takes TF-IDF
    assert settings["tfidf_context"] is True
    report = (tmp_path / "run" / "report.md").read_text(encoding="utf-8")
    assert "TF-IDF reading each sentence's article too" in report
    assert "TF-IDF blend yes · TF-IDF reads the article yes" in report
    predictor = Predictor.from_pretrained(model_dir)
    assert predictor.tfidf.context is not None
    run_scores = [[s.scores[lab] for lab in LABELS]
                  for a in read_jsonl(tmp_path / "run" / "predictions" / "dev.jsonl") for s in a.sentences]
    # the dev articles one at a time and all together: each sentence reads only its own article
    for batch in ([dev[:1], dev[1:]], [dev]):
        again = [[s.scores[lab] for lab in LABELS] for part in batch
                 for a in predictor.predict_articles(part) for s in a.sentences]
        assert np.allclose(again, run_scores, atol=1e-6)


def test_settings_and_tfidf_model_must_agree_on_the_article_stage(root, fitted):
    from dataclasses import replace

    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from araft.inference import Predictor
    from araft.modelio import ModelSettings
    from araft.tasks.claims.blend import encoder_alone
    from araft.tasks.claims.card import tfidf_lines

    path = root / "models" / "arabert-tiny"
    model = AutoModelForSequenceClassification.from_pretrained(path, num_labels=2, id2label=dict(enumerate(LABELS)))
    tokenizer = AutoTokenizer.from_pretrained(path)
    settings = ModelSettings(task="claims", preprocess="arabertv02", max_length=64, tfidf_weight=0.6,
                             encoder_thresholds={"claim": 0.5, "obstacle": 0.3}, tfidf_context=True)
    assert Predictor.for_task(model, tokenizer, settings, tfidf=fitted).tfidf is fitted
    with pytest.raises(ConfigError, match="has an article-context stage, but the settings say araft.tfidf_context=False"):
        Predictor.for_task(model, tokenizer, replace(settings, tfidf_context=False), tfidf=fitted)
    with pytest.raises(ConfigError, match="has no article-context stage"):
        Predictor.for_task(model, tokenizer, settings, tfidf=replace(fitted, context=None))
    assert not encoder_alone(settings).tfidf_context
    assert "reads each sentence's article" in tfidf_lines(settings)[0]
    assert "article" not in tfidf_lines(replace(settings, tfidf_context=False))[0]
