"""task=claims end to end with the embedded tiny model: overfit the seed's sentences, three labels
with a sentence carrying two, one label of two with context, thresholds saved and used, bad input."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from araft.corpus.article import Article, Sentence
from araft.corpus.jsonl import read_jsonl, write_jsonl
from araft.corpus.segment import split_sentences
from araft.errors import DataError
from araft.evaluation import headline
from araft.run import run_training

# (text, labels per sentence): claim / obstacle / goal, one sentence both claim and obstacle.
THREE = [
    ("قال الوزير إن المحادثات بناءة. لكن الخلاف ما زال قائما. وسيستمر الحوار غدا.",
     [("claim",), ("obstacle",), ("goal",)]),
    ("أكدت الحكومة أنها ترفض الشروط وهذا يعرقل الاتفاق. الطقس جميل اليوم في المدينة. "
     "تهدف الجولة إلى تبادل الأسرى.", [("claim", "obstacle"), (), ("goal",)]),
    ("صرح المتحدث بأن الوفد وصل. هناك انعدام ثقة بين الطرفين.", [("claim",), ("obstacle",)]),
]
OBJ_SUBJ = [
    ("أعلنت الوزارة عن موعد الانتخابات. إنه قرار رائع ومذهل حقا! بلغ عدد السكان مليونين.",
     [("OBJ",), ("SUBJ",), ("OBJ",)]),
    ("يا له من أداء مخيب للآمال. افتتح الجسر الجديد أمس.", [("SUBJ",), ("OBJ",)]),
]
FAST = ("tracking=none", "trainer.eval_strategy=no", "trainer.warmup_ratio=0.0",
        "trainer.logging_steps=50", "trainer.bootstrap=50")


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """Two cores shared by many processes: one thread per process avoids oversubscription, which
    makes a training step several times slower."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def write_corpus(path: Path, docs) -> Path:
    arts = []
    for i, (text, labels) in enumerate(docs):
        spans = split_sentences(text)
        assert len(spans) == len(labels)
        arts.append(Article(f"doc{i}", text, [],
                            [Sentence(s, e, tuple(lab)) for (s, e), lab in zip(spans, labels)]))
    write_jsonl(arts, path)
    return path


def tiny_data(path: Path, name: str) -> tuple[str, ...]:
    return ("task=claims", "data=seed_claims", f"data.name={name}", f"data.train={path}",
            f"data.dev={path}", "data.sentence_labels=null")


def saved_settings(run: Path) -> dict:
    return json.loads((run / "model" / "config.json").read_text(encoding="utf-8"))


def test_overfits_the_seed_sentences(compose_cfg, tmp_path):
    cfg = compose_cfg("experiment=seed_claims_overfit", "trainer.epochs=30")
    metrics = run_training(cfg, tmp_path / "run")
    dev = metrics["splits"]["dev"]
    assert dev["n_sentences"] == 34 and dev["labels"] == ["claim", "obstacle"]
    print(headline(metrics), "thresholds", dev["thresholds"])
    assert dev["micro_f1"] >= 0.9, headline(metrics)
    assert dev["ci"]["micro_f1"][0] <= dev["micro_f1"] <= dev["ci"]["micro_f1"][1]
    assert set(dev["per_label"]) == {"claim", "obstacle"}
    assert {"roc_auc", "average_precision", "f1_ci"} <= set(dev["per_label"]["claim"])
    assert "micro F1" in headline(metrics)
    predicted = read_jsonl(tmp_path / "run" / "predictions" / "dev.jsonl")[0]
    gold = read_jsonl(cfg.data.dev)[0]
    assert [(s.start, s.end) for s in predicted.sentences] == [(s.start, s.end) for s in gold.sentences]
    assert all(set(s.scores) == {"claim", "obstacle"} for s in predicted.sentences)
    config = saved_settings(tmp_path / "run")
    assert config["problem_type"] == "multi_label_classification"
    assert set(config["araft"]["thresholds"]) == {"claim", "obstacle"}


def test_three_labels_from_the_data_and_a_sentence_with_two(compose_cfg, tmp_path):
    data = write_corpus(tmp_path / "three.jsonl", THREE)
    cfg = compose_cfg(*tiny_data(data, "three"), *FAST, "trainer.epochs=25",
                      "trainer.batch_size=8", "trainer.lr=1e-3")
    metrics = run_training(cfg, tmp_path / "run")
    config = saved_settings(tmp_path / "run")
    # "goal" is nowhere in the code or the configs: the label set comes from the data
    assert config["id2label"] == {"0": "claim", "1": "goal", "2": "obstacle"}
    assert config["problem_type"] == "multi_label_classification"
    dev = metrics["splits"]["dev"]
    assert set(dev["per_label"]) == {"claim", "goal", "obstacle"}
    assert dev["per_label"]["claim"]["support"] == 3 and dev["per_label"]["obstacle"]["support"] == 3
    assert dev["micro_f1"] >= 0.9, headline(metrics)
    predicted = {a.id: a for a in read_jsonl(tmp_path / "run" / "predictions" / "dev.jsonl")}
    both = predicted["doc1"].sentences[0]
    assert set(both.labels) == {"claim", "obstacle"}, both
    assert set(both.scores) == {"claim", "goal", "obstacle"}


def test_thresholds_are_saved_and_used(compose_cfg, tmp_path):
    from araft.inference import Predictor

    data = write_corpus(tmp_path / "three.jsonl", THREE)
    cfg = compose_cfg(*tiny_data(data, "three"), *FAST, "trainer.max_steps=3",
                      "trainer.batch_size=8")
    metrics = run_training(cfg, tmp_path / "run")
    run = tmp_path / "run"
    config = saved_settings(run)
    tuned = config["araft"]["thresholds"]
    assert set(tuned) == {"claim", "goal", "obstacle"} and all(0 < t <= 1 for t in tuned.values())
    assert metrics["splits"]["dev"]["thresholds"] == tuned
    articles = read_jsonl(data)

    def predicted_labels(expected: dict[str, float]) -> list[tuple[str, ...]]:
        predictor = Predictor.from_pretrained(run, device="cpu")
        assert predictor.settings.thresholds == expected
        out = []
        for art in predictor.predict_articles(articles):
            for s in art.sentences:  # each label is on exactly when its score reaches its threshold
                assert set(s.labels) == {k for k, p in s.scores.items() if p >= expected[k]}
                out.append(s.labels)
        return out

    before = predicted_labels(tuned)
    changed = {**tuned, "claim": 0.0, "goal": 1.01}
    config["araft"]["thresholds"] = changed
    (run / "model" / "config.json").write_text(json.dumps(config), encoding="utf-8")
    after = predicted_labels(changed)
    assert all("claim" in labs and "goal" not in labs for labs in after)
    assert [("obstacle" in a) for a in after] == [("obstacle" in b) for b in before]


def test_single_label_with_context(compose_cfg, tmp_path):
    data = write_corpus(tmp_path / "subj.jsonl", OBJ_SUBJ)
    cfg = compose_cfg(*tiny_data(data, "objsubj"), *FAST, "task.multi_label=false",
                      "task.context=1", "task.context_words=6", "trainer.max_steps=2",
                      "trainer.batch_size=8")
    metrics = run_training(cfg, tmp_path / "run")
    config = saved_settings(tmp_path / "run")
    assert config["problem_type"] == "single_label_classification"
    assert config["araft"]["multi_label"] is False and config["araft"]["context"] == 1
    assert config["araft"]["context_words"] == 6
    assert config["araft"]["thresholds"] == {}
    assert metrics["splits"]["dev"]["thresholds"] is None
    for art in read_jsonl(tmp_path / "run" / "predictions" / "dev.jsonl"):
        for s in art.sentences:
            assert len(s.labels) == 1 and sum(s.scores.values()) == pytest.approx(1, abs=1e-4)
            assert s.labels[0] == max(s.scores, key=s.scores.get)


def test_articles_without_sentence_spans_are_refused(compose_cfg, tmp_path):
    data = write_corpus(tmp_path / "mixed.jsonl", THREE)
    with open(data, "a", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "unsplit-7", "text": "نص بلا جمل معلمة.", "entities": []},
                            ensure_ascii=False) + "\n")
    cfg = compose_cfg(*tiny_data(data, "mixed"), *FAST, "trainer.max_steps=1")
    with pytest.raises(DataError) as err:
        run_training(cfg, tmp_path / "run")
    assert err.value.article_id == "unsplit-7" and err.value.path == str(data)
    assert "no sentence spans" in str(err.value) and str(data) in str(err.value)


def test_dev_metrics_score_the_thresholds_the_saved_model_will_use():
    from types import SimpleNamespace

    import numpy as np

    from araft.tasks.claims.train import claims_compute_metrics

    # a model that ranks claims perfectly but below sigmoid 0.5: at 0.5 it finds none; at the
    # thresholds tuned on these scores it finds all of them
    logits = np.array([[-1.0, -5.0], [-2.0, -5.0], [-3.0, -5.0], [-4.0, -5.0]])
    gold = np.array([[1, 0], [1, 0], [0, 0], [0, 0]])
    pred = SimpleNamespace(predictions=logits, label_ids=gold)
    tuned = claims_compute_metrics(["claim", "obstacle"], True, "label_f1")(pred)
    assert tuned["f1"] == 0.0 and tuned["tuned_f1"] == 1.0
    assert "tuned_f1" not in claims_compute_metrics(["claim", "obstacle"], True)(pred)


def test_the_checkpoint_is_chosen_at_tuned_thresholds(compose_cfg, tmp_path):
    data = write_corpus(tmp_path / "three.jsonl", THREE)
    cfg = compose_cfg(*tiny_data(data, "three"), *FAST, "trainer.eval_strategy=epoch",
                      "trainer.epochs=3", "trainer.batch_size=4", "trainer.save_total_limit=3")
    metrics = run_training(cfg, tmp_path / "run")
    assert metrics["selected_on"] == "tuned_f1"
    evals = [h for h in metrics["log_history"] if "eval_tuned_f1" in h]
    assert len(evals) == 3
    best = max(evals, key=lambda h: h["eval_tuned_f1"])  # the Trainer keeps the first of equals
    assert metrics["best_checkpoint"].endswith(f"checkpoint-{best['step']}")
