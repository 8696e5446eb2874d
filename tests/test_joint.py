"""task=joint: one encoder, a token head and a sentence head, trained together on articles that
carry both layers, with each file feeding only the losses of the layers it annotates."""
from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from araft.corpus.article import Article, Entity, Sentence
from araft.errors import ConfigError, DataError
from araft.tasks.joint.records import Layers, file_layers
from conftest import ROOT, SEED_JSONL, SEED_TXT, TINY_MODEL, compose_in

JOINT_OVERFIT = ("experiment=seed_joint_overfit", "trainer.epochs=20",
                 f"+data.extra_eval.seed_again={SEED_JSONL}")


@pytest.fixture(scope="session")
def joint_run(tmp_path_factory):
    from araft.run import run_training

    base = tmp_path_factory.mktemp("joint")
    metrics = run_training(compose_in(base, *JOINT_OVERFIT), base / "run")
    return base / "run", metrics


def test_overfits_both_layers_of_the_seed_article(joint_run):
    run, metrics = joint_run
    dev = metrics["splits"]["dev"]
    assert set(dev) >= {"entities", "sentences"}
    assert dev["entities"]["micro_f1"] >= 0.9, dev["entities"]["micro_f1"]
    assert dev["sentences"]["micro_f1"] >= 0.7, dev["sentences"]["micro_f1"]
    assert set(dev["sentences"]["thresholds"]) == {"claim", "obstacle"}
    report = (run / "report.md").read_text(encoding="utf-8")
    assert "## Headline metrics (entities)" in report and "## Headline metrics (sentences)" in report
    settings = json.loads((run / "model" / "config.json").read_text(encoding="utf-8"))["araft"]
    assert settings["task"] == "joint" and settings["thresholds"]


def test_predict_gives_both_layers_from_one_pass_per_window(joint_run):
    from araft.inference import Predictor
    from araft.tasks.joint.predictor import JointPredictor

    predictor = Predictor.from_pretrained(joint_run[0], batch_size=8)
    assert isinstance(predictor, JointPredictor)
    calls = []
    predictor.model.register_forward_hook(lambda mod, args, out: calls.append(len(out.logits)))
    text = SEED_TXT.read_text(encoding="utf-8")
    article = predictor.predict(text)
    n_sentences = len(article.sentences)
    assert n_sentences >= 30 and len(article.entities) >= 20
    # every window went through the model exactly once, and both heads came from that pass
    assert sum(calls) == n_sentences  # the seed's sentences are all shorter than one window
    assert all(s.scores and set(s.scores) == {"claim", "obstacle"} for s in article.sentences)
    assert all(text[e.start:e.end].strip() == text[e.start:e.end] for e in article.entities)


def test_with_context_each_window_carries_its_neighbours_and_predicts_both_layers(tmp_path):
    """joint_claims_tiny's task.context=1 end to end, with at most 3 context words on each side:
    the saved model remembers both, and at prediction every sentence's one pass carries exactly
    the 3 nearest words of each neighbour as the second segment."""
    from araft.corpus.article import Article
    from araft.inference import Predictor
    from araft.run import run_training
    from araft.tasks.joint.records import joint_items

    run = tmp_path / "run"
    run_training(compose_in(tmp_path, "experiment=seed_joint_overfit", "task.context=1",
                            "task.context_words=3", "trainer.max_steps=3"), run)
    settings = json.loads((run / "model" / "config.json").read_text(encoding="utf-8"))["araft"]
    assert settings["task"] == "joint" and settings["context"] == 1 and settings["context_words"] == 3
    predictor = Predictor.from_pretrained(run, batch_size=8)
    segments = []
    predictor.model.register_forward_hook(
        lambda mod, args, kwargs, out: segments.append(kwargs["token_type_ids"].sum(dim=1)),
        with_kwargs=True)
    text = SEED_TXT.read_text(encoding="utf-8")
    article = predictor.predict(text)
    second = sorted(torch.cat(segments).tolist())  # context subwords + [SEP] of every pass
    assert len(second) == len(article.sentences) >= 30  # one pass per sentence
    items = joint_items([Article("seed", text)], Layers(False, False), context=1, context_words=3)
    assert max(len(it.prev) for it in items) == max(len(it.next) for it in items) == 3
    n_ids = lambda words: sum(len(w) for w in predictor.encoder.ids(words))  # noqa: E731
    assert second == sorted(n_ids(it.prev) + n_ids(it.next) + 1 for it in items)
    assert all(s.scores and set(s.scores) == {"claim", "obstacle"} for s in article.sentences)
    assert all(0 <= e.start < e.end <= len(text) for e in article.entities)


def test_saved_folder_is_a_token_classifier_and_exports_both_standard_heads(joint_run, tmp_path):
    from transformers import AutoModelForSequenceClassification, AutoModelForTokenClassification

    from araft.tasks.joint.model import export_heads, load_joint

    joint = load_joint(joint_run[0] / "model").eval()
    ids = torch.tensor([[2, 1000, 1500, 2000, 3]])
    with torch.no_grad():
        out = joint(input_ids=ids)
        plain = AutoModelForTokenClassification.from_pretrained(joint_run[0] / "model").eval()
        assert torch.allclose(plain(input_ids=ids).logits, out.logits, atol=1e-5)
        paths = export_heads(joint, tmp_path)
        token = AutoModelForTokenClassification.from_pretrained(paths["token-classification"]).eval()
        sentence = AutoModelForSequenceClassification.from_pretrained(
            paths["sentence-classification"]).eval()
        assert torch.allclose(token(input_ids=ids).logits, out.logits, atol=1e-5)
        assert torch.allclose(sentence(input_ids=ids).logits, out.sentence_logits, atol=1e-5)
    assert sentence.config.id2label == {0: "claim", 1: "obstacle"}
    assert sentence.config.araft["task"] == "claims" and token.config.araft["task"] == "ner"
    # the token folder keeps the joint model's preprocessing and none of its sentence decisions
    from araft.modelio import SENTENCE_DECISIONS, settings_from_config

    saved = settings_from_config(joint.config, where="joint")
    assert saved.thresholds
    alone = settings_from_config(token.config, where="token")
    assert alone.preprocess == saved.preprocess and alone.max_length == saved.max_length
    assert not any(getattr(alone, k) for k in SENTENCE_DECISIONS)
    assert sentence.config.araft["thresholds"] == saved.thresholds


def test_each_loss_reads_only_the_layers_a_window_carries():
    from transformers import AutoModelForSequenceClassification, AutoModelForTokenClassification

    from araft.tasks.joint.model import build_joint

    tags = ["O", "B-PERS", "I-PERS"]
    torch.manual_seed(0)
    model = build_joint(
        AutoModelForTokenClassification.from_pretrained(TINY_MODEL, num_labels=3),
        AutoModelForSequenceClassification.from_pretrained(TINY_MODEL, num_labels=2), ["claim", "obstacle"])
    model.eval()
    ids = torch.tensor([[2, 1000, 1500, 3], [2, 1200, 1700, 3]])
    token_labels = torch.tensor([[-100, 1, 2, -100], [-100, 0, 0, -100]])
    sentence_labels = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    none_t = torch.full_like(token_labels, -100)
    none_s = torch.full_like(sentence_labels, -100.0)
    with torch.no_grad():
        both = model(input_ids=ids, labels=token_labels, sentence_labels=sentence_labels).loss
        token_only = model(input_ids=ids, labels=token_labels, sentence_labels=none_s).loss
        sentence_only = model(input_ids=ids, labels=none_t, sentence_labels=sentence_labels).loss
        out = model(input_ids=ids)
    ce = torch.nn.functional.cross_entropy(out.logits.view(-1, 3), token_labels.view(-1), ignore_index=-100)
    bce = torch.nn.functional.binary_cross_entropy_with_logits(out.sentence_logits, sentence_labels)
    assert torch.isclose(token_only, ce) and torch.isclose(sentence_only, bce)
    assert torch.isclose(both, ce + bce)
    assert len(tags) == model.classifier.out_features


def _article(i, *, entities=(), sentences=None):
    return Article(f"a{i}", "قال الرئيس محمد إن المحادثات بدأت.", list(entities), sentences)


def test_file_layers_say_which_losses_a_file_feeds():
    ent = Entity(11, 15, "PERS")
    sent = [Sentence(0, 34, ("claim",))]
    assert file_layers([_article(0, entities=[ent])]) == Layers(True, False)     # ANERcorp-like
    assert file_layers([_article(0, sentences=sent)]) == Layers(False, True)     # sentence-only
    assert file_layers([_article(0, entities=[ent], sentences=sent)]) == Layers(True, True)
    # CoNLL keeps sentence spans without labels: entity-only data, never "every sentence negative"
    unlabelled = [Sentence(0, 34, ())]
    assert file_layers([_article(0, entities=[ent], sentences=unlabelled)]) == Layers(True, False)
    with pytest.raises(DataError, match="sentence spans") as err:
        file_layers([_article(0, sentences=sent), _article(1)])
    assert "a1" in str(err.value)


def test_a_train_file_with_partly_annotated_sentences_is_refused_naming_file_and_article(tmp_path):
    from araft.corpus.jsonl import read_jsonl, write_jsonl
    from araft.run import run_training

    seed = read_jsonl(SEED_JSONL)[0]
    mixed = tmp_path / "mixed.jsonl"
    write_jsonl([seed, Article("no_spans", seed.text, list(seed.entities), None)], mixed)
    cfg = compose_in(tmp_path, "experiment=seed_joint_overfit", f"+data.extra_train.mixed={mixed}")
    with pytest.raises(DataError) as err:
        run_training(cfg, tmp_path / "run")
    assert "mixed.jsonl" in str(err.value) and "no_spans" in str(err.value)


def test_extra_train_is_refused_by_tasks_that_do_not_read_it(tmp_path):
    from araft.run import run_training

    cfg = compose_in(tmp_path, "experiment=seed_claims_overfit", "trainer.max_steps=1",
                     f"+data.extra_train.more={SEED_JSONL}")
    with pytest.raises(ConfigError, match="extra_train is read by task=ner and task=joint"):
        run_training(cfg, tmp_path / "run")


def test_ner_trains_on_extra_train_files_after_train(tmp_path):
    from araft.splits import load_splits
    from araft.tasks.registry import task_from_config

    def windows(*extra):
        cfg = compose_in(tmp_path, "experiment=seed_overfit", *extra)
        return len(task_from_config(cfg.task).prepare(cfg, load_splits(cfg.data)).train_features)

    assert windows(f"+data.extra_train.again={SEED_JSONL}") == 2 * windows()


def test_ner_refuses_an_extra_train_file_without_entities(tmp_path):
    from araft.corpus.jsonl import read_jsonl, write_jsonl
    from araft.run import run_training

    bare = tmp_path / "sentences_only.jsonl"
    write_jsonl([Article(a.id, a.text, [], a.sentences) for a in read_jsonl(SEED_JSONL)], bare)
    cfg = compose_in(tmp_path, "experiment=seed_overfit", "trainer.max_steps=1",
                     f"+data.extra_train.bare={bare}")
    with pytest.raises(ConfigError, match="sentences_only.jsonl: no entity in this train file"):
        run_training(cfg, tmp_path / "run")


def test_single_label_joint_is_refused_before_loading_a_model(tmp_path):
    from araft.run import run_training

    cfg = compose_in(tmp_path, "experiment=seed_joint_overfit", "task.multi_label=false")
    with pytest.raises(ConfigError, match="multi_label=false is for task=claims"):
        run_training(cfg, tmp_path / "run")


def test_compare_pairs_a_joint_run_with_an_ner_run_on_the_entities(joint_run, seed_ner_run):
    from araft.reporting.compare import compare_runs

    cmp = compare_runs([joint_run[0], seed_ner_run[0]], n_resamples=50)
    assert {sc.part for sc in cmp.splits} == {"_entities"}
    # the NER run scored the seed as dev; the joint run as dev and as the extra set seed_again
    assert sorted(sc.names for sc in cmp.splits) == [["dev", "dev"], ["seed_again", "dev"]]
    assert any("different tasks (joint, ner)" in n for n in cmp.notes)
    joint_dev = joint_run[1]["splits"]["dev"]["entities"]["micro_f1"]
    assert cmp.splits[0].scores[0]["micro_f1"] == pytest.approx(joint_dev)
    assert np.isfinite(cmp.splits[0].deltas[1]["micro_f1"]["delta"])


def test_push_stages_both_standard_heads_and_a_card_for_both_layers(joint_run, tmp_path, monkeypatch):
    from transformers import AutoTokenizer, pipeline

    from araft.cli import main

    monkeypatch.delenv("HF_TOKEN", raising=False)
    stage = tmp_path / "stage"
    assert main(["push", str(joint_run[0]), "--repo-id", "org/joint", "--dry-run", "--out", str(stage)]) == 0
    for head in ("token-classification", "sentence-classification"):
        assert {"config.json", "model.safetensors", "tokenizer.json"} <= {p.name for p in (stage / head).iterdir()}
    card = (stage / "README.md").read_text(encoding="utf-8")
    assert "## Headline" not in card and "Per label on" in card and "Per entity type on" in card
    # the card's plain-transformers example, run on the staged folder in place of the Hub id
    example = card.split("With plain transformers:")[1].split("```python")[1].split("```")[0]
    assert 'subfolder="sentence-classification"' in example
    out = []
    exec(example.replace('"org/joint"', repr(str(stage))), {"print": lambda *a: out.append(a)})
    (entities, sentence_scores), = out
    assert isinstance(entities, list)
    assert {r["label"] for r in sentence_scores[0]} == {"claim", "obstacle"}


def test_dev_selection_scores_sentences_at_the_thresholds_the_model_will_use():
    from transformers import EvalPrediction

    from araft.tasks.joint.records import JointItem
    from araft.tasks.joint.train import joint_compute_metrics

    items = [JointItem(0, (0, 1), [], None, labels, [], []) for labels in
             [("claim",), (), ("claim",), ()]]
    targets = np.array([[1, 0], [0, 0], [1, 0], [0, 0]], dtype=np.float32)
    # the second sentence has two windows: its probability is their mean
    windows = [0, 1, 1, 2, 3]
    compute = joint_compute_metrics({0: "O"}, items, targets, windows, ["claim", "obstacle"])
    logit = lambda p: np.log(p / (1 - p))  # noqa: E731
    probs = np.array([[0.45, 0.1], [0.2, 0.1], [0.44, 0.1], [0.40, 0.1], [0.1, 0.1]])
    out = compute(EvalPrediction(predictions=(np.zeros((5, 2)), logit(probs)),
                                 label_ids=(np.full((5, 2), -100), targets[windows])))
    assert out["sentence_f1_at_half"] == 0.0           # every claim probability is under 0.5
    assert out["sentence_f1"] == 1.0                   # but they rank the claims first
    assert out["f1"] == 1.0 and "entity_f1" not in out  # no tagged word in this dev


def test_evaluate_prints_each_layer_the_data_annotates(joint_run, capsys, tmp_path):
    from araft.cli import main

    conll = tmp_path / "dev.conll"
    conll.write_text("\n".join((ROOT / "data" / "anercorp" / "dev.conll").read_text(encoding="utf-8")
                               .split("\n")[:400]) + "\n", encoding="utf-8")
    assert main(["evaluate", str(joint_run[0]), "--data", str(SEED_JSONL), "--bootstrap", "20"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(ln.strip().startswith("eval entities: micro F1") for ln in lines)
    assert any(ln.strip().startswith("eval sentences: micro F1") for ln in lines)
    assert main(["evaluate", str(joint_run[0]), "--data", str(conll), "--bootstrap", "20"]) == 0
    out = capsys.readouterr().out
    assert "eval: micro F1" in out and "eval sentences" not in out  # CoNLL: no sentence labels
