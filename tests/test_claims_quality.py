"""benchmarks.claims_quality: the baselines of the claims corpus, on the real corpus."""
from __future__ import annotations

import json

import numpy as np
import pytest

from benchmarks import claims_quality as cq
from fake_runs import write_scored_predictions


@pytest.fixture(scope="module")
def splits():
    return cq.load_split("train"), cq.load_split("dev"), cq.load_split("test")


def test_tfidf_beats_labelling_everything_and_chooses_on_dev(splits):
    train, dev, test = splits
    pred, chosen = cq.tfidf_logreg(train, dev, test)
    assert pred.shape == test[1].shape and set(np.unique(pred)) <= {0, 1}
    assert set(chosen) == set(cq.LABELS) and all(c["C"] in (0.3, 1.0, 3.0, 10.0) for c in chosen.values())
    results = cq.compare(test[1], {"all": cq.label_everything(len(test[0])), "tfidf": pred}, "all")
    assert results["tfidf"]["micro_f1"] > results["all"]["micro_f1"]
    low, high = results["tfidf"]["micro_f1_ci"]
    assert low <= results["tfidf"]["micro_f1"] <= high
    assert results["tfidf"]["minus_reference"]["micro_f1"]["delta"] == pytest.approx(
        results["tfidf"]["micro_f1"] - results["all"]["micro_f1"])


def test_article_unit_resamples_whole_articles(splits, monkeypatch, capsys):
    """--unit article: the same scores, intervals from articles resampled whole (group_counts);
    labelling everything swings with how many obstacle-heavy articles a resample draws."""
    from araft.metrics import multilabel_report
    from araft.metrics.bootstrap import bootstrap_ci, group_counts, multilabel_counts

    _, _, test = splits
    gold, articles = test[1], cq.article_ids(test[2])
    assert len(articles) == 918 and len(set(articles)) == 52 and articles[0] == test[2][0].split(":")[0]
    noisy = np.where(np.random.default_rng(0).random(gold.shape) < 0.8, gold, 1 - gold).astype(np.int8)
    systems = {"all": cq.label_everything(len(gold)), "noisy": noisy}
    by_sentence = cq.compare(gold, systems, "all")
    by_article = cq.compare(gold, systems, "all", articles)
    assert by_sentence["noisy"]["micro_f1_ci"] == multilabel_report(gold, noisy, None, cq.LABELS)["ci"]["micro_f1"]
    direct = bootstrap_ci(group_counts(multilabel_counts(gold, noisy, cq.LABELS), articles))
    assert by_article["noisy"]["micro_f1_ci"] == list(direct["micro_f1"])
    for name in systems:
        for key in ("micro_f1", "claim_f1", "obstacle_f1"):
            assert by_article[name][key] == by_sentence[name][key]
    d_s, d_a = (r["noisy"]["minus_reference"]["micro_f1"] for r in (by_sentence, by_article))
    assert d_a["delta"] == d_s["delta"] and (d_a["low"], d_a["high"]) != (d_s["low"], d_s["high"])
    width = {u: r["all"]["obstacle_f1_ci"][1] - r["all"]["obstacle_f1_ci"][0]
             for u, r in (("sentence", by_sentence), ("article", by_article))}
    assert width["article"] > width["sentence"]

    monkeypatch.setattr(cq, "tfidf_logreg", lambda *a: (test[1].copy(), {}))
    assert cq.main(["--unit", "article"]) == 0
    assert "intervals: 95% bootstrap over articles (52 articles)" in capsys.readouterr().out


def test_a_run_missing_test_sentences_is_refused(splits, tmp_path):
    _, _, test = splits
    (tmp_path / "predictions").mkdir()
    first = json.loads((cq.DATA / "test.jsonl").read_text(encoding="utf-8").splitlines()[0])
    (tmp_path / "predictions" / "test.jsonl").write_text(json.dumps(first, ensure_ascii=False) + "\n",
                                                         encoding="utf-8")
    with pytest.raises(SystemExit, match="no prediction for"):
        cq.run_predictions(tmp_path, test[2])
    with pytest.raises(SystemExit, match="not found"):
        cq.run_predictions(tmp_path / "absent", test[2])
    got = cq.run_predictions(tmp_path, [k for k in test[2] if k.startswith(first["id"] + ":")])
    assert (got == test[1][:len(got)]).all()  # gold file as predictions: aligned to the gold keys


def test_runs_are_re_tuned_on_their_own_dev_scores(splits, tmp_path):
    """--objective: a run's thresholds are tuned again on its dev predictions' scores, then applied
    to its test scores; scores that separate the gold give back the gold."""
    _, dev, test = splits
    write_scored_predictions(tmp_path)
    for objective in ("label_f1", "micro_f1"):
        assert (cq.run_predictions(tmp_path, test[2], objective, dev) == test[1]).all()
    (tmp_path / "predictions" / "dev.jsonl").write_text(
        (cq.DATA / "dev.jsonl").read_text(encoding="utf-8"), encoding="utf-8")  # labels, no scores
    with pytest.raises(SystemExit, match="has no score for every label"):
        cq.run_predictions(tmp_path, test[2], "micro_f1", dev)


def test_train_trains_the_chosen_recipes_reference_first(splits, monkeypatch, tmp_path, capsys):
    """--train --recipes arabertv02: the base-model recipes are trained, the separate claims model
    first (the reference every other system is paired with), and both are scored on test."""
    trained = []

    def fake_train(out_root, experiment):  # a run whose predictions are the gold test file
        trained.append(experiment)
        (out_root / experiment / "predictions").mkdir(parents=True)
        (out_root / experiment / "predictions" / "test.jsonl").write_text(
            (cq.DATA / "test.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
        return out_root / experiment

    monkeypatch.setattr(cq, "train_model", fake_train)
    monkeypatch.setattr(cq, "tfidf_logreg", lambda *a: (splits[2][1].copy(), {}))
    assert cq.main(["--train", "--recipes", "arabertv02", "--out-root", str(tmp_path)]) == 0
    assert trained == ["claims_obstacles_arabertv02", "joint_claims_arabertv02"]
    out = capsys.readouterr().out
    assert "micro F1 minus araft claims_obstacles_arabertv02 |" in out
    assert "| araft joint_claims_arabertv02 | 1.000" in out


def test_tfidf_curve_trains_on_the_corpus_as_it_grew(splits, monkeypatch):
    """--tfidf-curve: rounds 1-3, 1-5, then all of train; each part only holds its rounds' articles."""
    from scripts.claims_corpus.stories import selection_rounds

    train, dev, test = splits
    seen = []

    def fake_fit(part, dev_, test_, objective="label_f1"):
        seen.append(part)
        return test_[1].copy(), {}

    monkeypatch.setattr(cq, "tfidf_logreg", fake_fit)
    rows = cq.tfidf_curve(train, dev, test)
    rounds = selection_rounds()
    assert [r["rounds"] for r in rows] == ["1-3", "1-5", "1-6"]
    assert rows[0]["sentences"] < rows[1]["sentences"] < rows[2]["sentences"] == len(train[0])
    for last, part in zip((3, 5, 6), seen):
        assert {rounds.get(k.split(":")[0][3:], 1) for k in part[2]} <= set(range(1, last + 1))
        assert len(part[0]) == len(part[1]) == len(part[2])
    assert all(r["micro_f1"] == 1.0 for r in rows)  # the fake predicts the gold


def test_sentence_probe_embeds_with_the_models_settings_and_scores_on_dev():
    from benchmarks import sentence_probe as sp

    texts = ["قال الوزير إن المفاوضات تعثرت.", "عدن مدينة يمنية.", "رفض الحوثيون الاتفاق"]
    got = sp.embed(sp.DEFAULT_MODEL, texts, batch_size=2)
    assert got["cls"].shape == got["mean"].shape == (3, 256)
    assert not np.allclose(got["cls"], got["mean"])
    x = np.array([[0.0], [1.0], [0.1], [0.9], [0.2], [0.8]])
    y = np.array([[0, 1], [1, 0], [0, 1], [1, 0], [0, 1], [1, 0]])
    r = sp.probe(x, y, x, y)  # separable: claim rises with x, obstacle falls
    assert r["claim"] == {"roc_auc": 1.0, "f1": 1.0} and r["obstacle"] == {"roc_auc": 1.0, "f1": 1.0}
