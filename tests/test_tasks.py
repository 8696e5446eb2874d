"""The task interface (araft.tasks.base): the registry, `_target_` in the task configs, what each
task answers, and that reports and comparisons follow a task's layers without knowing the task
(a made-up task that predicts both layers gets both reports)."""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from araft.config import TaskConfig
from araft.corpus.jsonl import read_jsonl, write_jsonl
from araft.errors import ConfigError
from araft.evaluation import headline, with_gold
from araft.tasks import registry
from araft.tasks.base import Task
from araft.tasks.claims import ClaimsTask
from araft.tasks.claims.layer import SentenceLayer
from araft.tasks.ner import NerTask
from araft.tasks.ner.layer import EntityLayer

from conftest import SEED_JSONL


def test_registry_names_and_targets(compose_cfg):
    assert isinstance(registry.task_named("ner"), NerTask)
    assert isinstance(registry.task_named("claims"), ClaimsTask)
    with pytest.raises(ConfigError, match="unknown task 'pos' .*known: ner, claims"):
        registry.task_named("pos")
    cfg = compose_cfg("task=claims")
    assert cfg.task._target_ == "araft.tasks.claims.ClaimsTask"
    assert isinstance(registry.task_from_config(cfg.task), ClaimsTask)
    # a run.json from before _target_ names its task only
    assert isinstance(registry.task_from_config(TaskConfig(name="claims")), ClaimsTask)


def test_a_target_must_be_the_named_task_and_a_task(compose_cfg):
    with pytest.raises(ConfigError, match="task.name is 'ner' but .*ClaimsTask is the 'claims'"):
        compose_cfg("task._target_=araft.tasks.claims.ClaimsTask")
    with pytest.raises(ConfigError, match="is not an araft Task"):
        registry.task_from_config(TaskConfig(name="ner", _target_="araft.config.TaskConfig"))
    with pytest.raises(ConfigError, match="cannot import 'araft.tasks.nope.Task'"):
        registry.task_from_config(TaskConfig(name="ner", _target_="araft.tasks.nope.Task"))


def test_each_task_reads_its_own_settings_only(compose_cfg):
    """An NER preset that inherits a joint preset's sentence settings (ner_claims_tiny) neither
    saves them with its model nor counts them as config; claims and joint keep them."""
    from araft.modelio import model_settings

    joint = compose_cfg("experiment=joint_claims_tiny", "task.context=1")
    ner = compose_cfg("experiment=ner_claims_tiny", "task.context=1")
    assert ner.task.context == 1 and ner.task.sentence_loss_schedule == joint.task.sentence_loss_schedule
    assert model_settings(ner).context == 0 and model_settings(joint).context == 1
    assert model_settings(compose_cfg("task=claims", "task.context=2")).context == 2
    ner_task, joint_task = registry.task_named("ner"), registry.task_named("joint")
    assert not ner_task.reads("task.sentence_loss_schedule") and not ner_task.reads("task.pos_weight")
    assert ner_task.reads("task.name") and ner_task.reads("trainer.lr")
    assert all(joint_task.reads(f"task.{k}") for k in ("context", "pos_weight", "threshold_objective",
                                                        "sentence_loss_weight", "sentence_loss_schedule"))
    for name in registry.TASKS:  # every key a task lists is a task setting (no typo hides one)
        assert set(registry.task_named(name).config_keys) <= set(TaskConfig.__dataclass_fields__)


def test_what_each_task_answers(compose_cfg):
    seed = read_jsonl(SEED_JSONL)
    ner, claims = registry.task_named("ner"), registry.task_named("claims")
    types = sorted({e.label for e in seed[0].entities})
    assert ner.label_space(compose_cfg("data.entity_labels=null"), seed) == \
        ["O"] + [f"{p}-{t}" for t in types for p in "BI"]
    assert claims.label_space(compose_cfg("task=claims", "data=seed_claims"), seed) == \
        ["claim", "obstacle"]
    assert ner.gold_count(seed) == len(seed[0].entities) == 43
    assert claims.gold_count(seed) == sum(1 for s in seed[0].sentences if s.labels) > 0
    assert ner.no_gold == "no gold entities" and claims.no_gold == "no labelled sentences"
    assert ner.writes_word_tags and not claims.writes_word_tags
    assert ner.labels_from_ids(["O", "B-LOC", "I-LOC", "B-ORG"]) == ["LOC", "ORG"]
    assert (ner.pipeline_tag, claims.pipeline_tag) == ("token-classification", "text-classification")


def test_from_pretrained_returns_the_task_predictor_and_refuses_another_task(quick_run):
    from araft.inference import Predictor
    from araft.tasks.claims.predictor import ClaimsPredictor
    from araft.tasks.ner.predictor import NerPredictor

    predictor = Predictor.from_pretrained(quick_run, device="cpu")
    assert isinstance(predictor, NerPredictor) and isinstance(predictor, Predictor)
    assert isinstance(NerPredictor.from_pretrained(quick_run, device="cpu"), NerPredictor)
    with pytest.raises(ConfigError, match="holds a ner model, which ClaimsPredictor does not predict"):
        ClaimsPredictor.from_pretrained(quick_run)


def test_a_pretrained_encoder_is_refused_before_it_predicts_with_a_random_head():
    """The embedded encoders carry araft's settings (read as an NER model) but no trained token head."""
    from araft.inference import Predictor
    from araft.modelcheck import ModelError

    encoder = Path(__file__).resolve().parents[1] / "models" / "arabert-mini-news-silver"
    with pytest.raises(ModelError, match=r"arabert-mini-news-silver: no trained weights for classifier\.bias, "
                                         r"classifier\.weight: not a fine-tuned araft model"):
        Predictor.from_pretrained(encoder, device="cpu")


# -- a task with both layers, as the joint task of issue 15 will be ----------------------------
class BothLayers(Task):
    """Entities and sentence labels; a split's metrics hold one dict per layer."""
    name, title, description = "both_layers", "both", "test"
    pipeline_tag, hub_tags = "token-classification", ()
    layers = (EntityLayer(), SentenceLayer())
    card = None
    predictor_class = None

    def label_space(self, cfg, train, source=None):
        raise NotImplementedError

    def prepare(self, cfg, splits):
        raise NotImplementedError

    def evaluate(self, predictor, articles, *, n_resamples=1000, seed=0):
        raise NotImplementedError

    def layer_metrics(self, split_metrics):
        return [(layer, split_metrics[layer.key]) for layer in self.layers]


def both_layers_run(root: Path, seed: int) -> Path:
    """A run directory of BothLayers on the seed article: predictions = gold but one entity and
    one sentence label dropped, metrics computed by araft.metrics."""
    import numpy as np

    from araft.corpus.segment import article_sentences, article_words
    from araft.corpus.tags import spans_to_tags
    from araft.metrics import multilabel_report, ner_report

    (gold,) = read_jsonl(SEED_JSONL)
    sentences = [replace(s, labels=s.labels[1:] if k == seed else s.labels)
                 for k, s in enumerate(gold.sentences)]
    predicted = replace(gold, entities=gold.entities[1:], sentences=sentences, meta={})
    tags = [(spans_to_tags(w, gold.entities), spans_to_tags(w, predicted.entities))
            for w in (article_words(gold, s, e) for s, e in article_sentences(gold)) if w]
    ents = ner_report([g for g, _ in tags], [p for _, p in tags], n_resamples=20)
    labels = ["claim", "obstacle"]
    matrix = [np.array([[name in s.labels for name in labels] for s in art.sentences], dtype=np.int8)
              for art in (gold, predicted)]
    sents = multilabel_report(matrix[0], matrix[1], None, labels, n_resamples=20)
    sents["labels"] = labels
    run = root / f"run{seed}"
    (run / "predictions").mkdir(parents=True)
    write_jsonl(with_gold([predicted], [gold]), run / "predictions" / "dev.jsonl", surface=True)
    metrics = {"task": "both_layers", "splits": {"dev": {"entities": ents, "sentences": sents}}}
    (run / "metrics.json").write_text(json.dumps(metrics), encoding="utf-8")
    return run


@pytest.fixture
def both_layers(monkeypatch):
    monkeypatch.setitem(registry.TASKS, "both_layers", f"{__name__}.BothLayers")


def test_reports_and_comparisons_follow_the_task_layers(tmp_path, both_layers):
    from araft.reporting import compare_runs, write_report
    from araft.reporting.collect import load_layers

    runs = [both_layers_run(tmp_path, seed) for seed in (0, 3)]
    ents, sents = load_layers(runs[0])
    assert (ents.layer.key, sents.layer.key) == ("entities", "sentences")
    assert sents.labels == ["claim", "obstacle"] and "LOC" in ents.labels
    paths = write_report(runs[0])
    md = paths.markdown.read_text(encoding="utf-8")
    for title in ("Headline metrics (entities)", "Per type (entities)", "Confusion (entities)",
                  "Headline metrics (sentences)", "Per label (sentences)", "Error analysis (sentences)",
                  "Data (entities)", "Data (sentences)"):
        assert f"## {title}" in md, title
    names = {p.name for p in paths.plots}
    assert {"confusion_dev_entities.png", "confusion_dev_sentences.png",
            "label_distribution_entities.png", "label_distribution_sentences.png"} <= names
    cmp = compare_runs(runs, n_resamples=20)
    assert [sc.title for sc in cmp.splits] == ["dev (entities)", "dev (sentences)"]
    assert cmp.splits[1].classes == ["claim", "obstacle"]
    lines = headline(json.loads((runs[0] / "metrics.json").read_text(encoding="utf-8"))).splitlines()
    assert [line.split(":")[0].strip() for line in lines] == ["dev entities", "dev sentences"]
