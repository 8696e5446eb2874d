"""task=claims without training: sentence items, encoding with context, thresholds, decisions,
label checks, the data configs, and a predictor around an untrained head."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from araft.corpus.article import Article, Sentence
from araft.corpus.segment import split_sentences
from araft.encoding import WordEncoder
from araft.errors import ConfigError, DataError
from araft.preprocessing import WordPreprocessor
from araft.tasks.claims.loss import loss_weights
from araft.tasks.claims.sentences import SentenceCollator, encode_sentence, sentence_items
from araft.tasks.claims.thresholds import best_threshold, decide, tune_thresholds
from araft.tasks.claims.train import label_rows

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "models" / "arabert-mini-news"
TEXT = "قال الوزير إن المحادثات بناءة. لكن الخلاف ما زال قائما! وسيستمر الحوار غدا."


@pytest.fixture(scope="module")
def encoder() -> WordEncoder:
    from transformers import AutoTokenizer

    return WordEncoder(AutoTokenizer.from_pretrained(TINY), WordPreprocessor("arabertv02"))


def annotated(labels: list[tuple[str, ...]]) -> Article:
    spans = split_sentences(TEXT)
    return Article("a1", TEXT, [], [Sentence(s, e, lab) for (s, e), lab in zip(spans, labels)])


# -- sentences ------------------------------------------------------------------------------

def test_items_follow_the_gold_spans_with_context():
    art = annotated([("claim",), ("obstacle",), ()])
    items = sentence_items([art], with_gold=True, context=1)
    assert [it.gold for it in items] == [("claim",), ("obstacle",), ()]
    assert items[0].prev == [] and items[0].next == items[1].words
    assert items[1].prev == items[0].words and items[1].next == items[2].words
    assert all(TEXT[it.span[0]:it.span[1]].startswith(it.words[0]) for it in items)


def test_context_words_keep_the_words_nearest_the_sentence():
    art = annotated([(), (), ()])
    full = sentence_items([art], with_gold=True, context=1)
    cut = sentence_items([art], with_gold=True, context=1, context_words=2)
    assert [it.words for it in cut] == [it.words for it in full]
    assert cut[1].prev == full[1].prev[-2:] == full[0].words[-2:]
    assert cut[1].next == full[1].next[:2] == full[2].words[:2]
    assert cut[0].prev == [] and cut[2].next == []
    two = sentence_items([art], with_gold=True, context=2, context_words=4)
    assert two[2].prev == (full[0].words + full[1].words)[-4:]  # across both earlier sentences
    wide = sentence_items([art], with_gold=True, context=1, context_words=1000)
    assert [(it.prev, it.next) for it in wide] == [(it.prev, it.next) for it in full]


@pytest.mark.parametrize("value", ["0", "-3", "true", "1.5"])
def test_context_words_must_be_a_positive_count(value):
    from araft.config import compose

    root = str(ROOT)
    with pytest.raises(ConfigError, match="task.context_words"):  # ours, or the schema's for a non-int
        compose(["task=claims", "task.context=1", f"task.context_words={value}"], root=root)
    assert compose(["task=claims", "task.context=1", "task.context_words=8"], root=root).task.context_words == 8


def test_prediction_uses_the_segmenter_when_spans_are_absent():
    items = sentence_items([Article("x", TEXT)], with_gold=False)
    assert [it.span for it in items] == split_sentences(TEXT)
    assert all(it.gold is None for it in items)


def test_gold_is_refused_without_sentence_spans():
    with pytest.raises(DataError) as err:
        sentence_items([Article("no-spans", TEXT)], with_gold=True, source="train.jsonl")
    assert err.value.article_id == "no-spans" and err.value.path == "train.jsonl"
    assert "no sentence spans" in str(err.value)


# -- encoding -------------------------------------------------------------------------------

def test_encoding_without_context_is_cls_words_sep(encoder):
    tok = encoder.tokenizer
    words = ["قال", "الوزير", "."]
    f, cut = encode_sentence(encoder, words, [], [], max_length=64, context=0)
    ids = [t for w in encoder.ids(words) for t in w]
    assert f == {"input_ids": [tok.cls_token_id, *ids, tok.sep_token_id]} and not cut


def test_long_sentence_is_truncated_and_flagged(encoder):
    words = ["المحادثات"] * 40
    f, cut = encode_sentence(encoder, words, [], [], max_length=16, context=0)
    assert cut and len(f["input_ids"]) == 16


def test_context_is_a_second_segment_cut_from_far_ends(encoder):
    tok = encoder.tokenizer
    prev = [f"قبل{i}" for i in range(30)]
    nxt = [f"بعد{i}" for i in range(30)]
    sent = ["الخلاف", "قائم"]
    f, cut = encode_sentence(encoder, sent, prev, nxt, max_length=24, context=1)
    ids, types = f["input_ids"], f["token_type_ids"]
    assert len(ids) == len(types) == 24 and not cut
    first = [tok.cls_token_id, *[t for w in encoder.ids(sent) for t in w], tok.sep_token_id]
    assert ids[:len(first)] == first and set(types[:len(first)]) == {0}
    assert set(types[len(first):]) == {1} and ids[-1] == tok.sep_token_id
    before = [t for w in encoder.ids(prev) for t in w]
    after = [t for w in encoder.ids(nxt) for t in w]
    second = ids[len(first):-1]
    # the previous sentence keeps its end (next to the sentence), the next one its start
    k = len(second) // 2
    assert second[:k] == before[-k:] and second[k:] == after[:len(second) - k]


def test_collator_batches_label_vectors_and_class_ids():
    import torch

    feats = [{"input_ids": [2, 5, 3], "labels": [1.0, 0.0]}, {"input_ids": [2, 3], "labels": [0.0, 1.0]}]
    batch = SentenceCollator(0, multi_label=True)(feats)
    assert batch["labels"].dtype == torch.float32 and batch["labels"].shape == (2, 2)
    assert batch["input_ids"].tolist() == [[2, 5, 3], [2, 3, 0]]
    single = SentenceCollator(0, multi_label=False)([{"input_ids": [2, 3], "labels": 1}])
    assert single["labels"].dtype == torch.long and single["labels"].tolist() == [1]


# -- thresholds and decisions ------------------------------------------------------------------

def test_best_threshold_separates_and_breaks_ties_near_default():
    gold = np.array([1, 1, 0, 0])
    assert best_threshold(gold, np.array([0.9, 0.3, 0.2, 0.1])) == pytest.approx(0.25)
    assert best_threshold(gold, np.array([0.1, 0.2, 0.3, 0.9])) < 0.15  # all positive is best
    assert best_threshold(np.zeros(3), np.array([0.2, 0.6, 0.9])) == 0.5  # no positives
    # equal scores are never split
    t = best_threshold(np.array([1, 0, 1]), np.array([0.4, 0.4, 0.8]))
    assert t == pytest.approx(0.6) or t < 0.4


def test_tune_thresholds_per_label():
    probs = np.array([[0.9, 0.2], [0.6, 0.7], [0.1, 0.65]])
    gold = np.array([[1, 0], [1, 1], [0, 1]], dtype=bool)
    th = tune_thresholds(gold, probs, ["claim", "obstacle"])
    assert decide(probs, ["claim", "obstacle"], True, th).tolist() == gold.tolist()


def _micro(gold, chosen):
    tp = (gold & chosen).sum()
    return 2 * tp / (gold.sum() + chosen.sum())


def test_micro_objective_keeps_a_hard_rare_label_from_flooding_the_micro_f1():
    """A well-ranked frequent label and a barely-ranked rare one (the corpus's claim and obstacle):
    the rare label's own best threshold is low and its false positives cost the micro F1; the
    micro objective raises it, and the micro F1 on the same data is at least as high."""
    rng = np.random.default_rng(0)
    n = 2000
    gold = np.zeros((n, 2), dtype=bool)
    gold[:, 0] = rng.random(n) < 0.5
    gold[:, 1] = rng.random(n) < 0.06
    probs = np.stack([np.clip(0.5 + 0.35 * (gold[:, 0] - 0.5) * 2 + rng.normal(0, 0.25, n), 0, 1),
                      np.clip(0.3 + 0.1 * gold[:, 1] + rng.normal(0, 0.15, n), 0, 1)], axis=1)
    labels = ["claim", "obstacle"]
    per_label = tune_thresholds(gold, probs, labels)
    micro = tune_thresholds(gold, probs, labels, "micro_f1")
    assert micro["obstacle"] > per_label["obstacle"]
    at = {name: _micro(gold, decide(probs, labels, True, th)) for name, th in
          (("label", per_label), ("micro", micro))}
    assert at["micro"] > at["label"] + 0.01
    # each of the micro thresholds is the best for the micro F1 given the other's
    for cut in np.linspace(0.01, 0.99, 50):
        for k, name in enumerate(labels):
            trial = dict(micro, **{name: float(cut)})
            assert _micro(gold, decide(probs, labels, True, trial)) <= at["micro"] + 1e-12
    with pytest.raises(ValueError, match="unknown threshold objective"):
        tune_thresholds(gold, probs, labels, "macro")


def test_threshold_objective_is_checked_in_the_config():
    from araft.config import compose

    with pytest.raises(ConfigError, match="threshold_objective must be one of"):
        compose(["task=claims", "task.threshold_objective=macro"], root=str(Path(__file__).resolve().parents[1]))
    cfg = compose(["task=claims", "task.threshold_objective=micro_f1"], root=str(Path(__file__).resolve().parents[1]))
    assert cfg.task.threshold_objective == "micro_f1"


def test_decide_single_label_is_argmax_and_multi_uses_defaults():
    probs = np.array([[0.3, 0.7], [0.8, 0.2]])
    assert decide(probs, ["OBJ", "SUBJ"], False, {}).tolist() == [[False, True], [True, False]]
    assert decide(probs, ["a", "b"], True, {"a": 0.25}).tolist() == [[True, True], [True, False]]


# -- labels ------------------------------------------------------------------------------------

def test_single_label_needs_exactly_one_label_per_sentence():
    art = annotated([("OBJ",), ("OBJ", "SUBJ"), ("SUBJ",)])
    items = sentence_items([art], with_gold=True)
    with pytest.raises(DataError, match="exactly one label") as err:
        label_rows(items, [art], ["OBJ", "SUBJ"], False, "x.tsv")
    assert err.value.article_id == "a1"
    gold, ys = label_rows(items, [art], ["OBJ", "SUBJ"], True, "x.tsv")
    assert ys[1] == [1.0, 1.0] and gold.sum() == 4


def test_unknown_label_is_named():
    art = annotated([("goal",), (), ()])
    with pytest.raises(DataError, match="'goal'"):
        label_rows(sentence_items([art], with_gold=True), [art], ["claim"], True, "x.jsonl")


def test_loss_weights():
    gold = np.array([[1, 0], [0, 0], [0, 0], [1, 1]], dtype=bool)
    assert loss_weights(gold, ["claim", "obstacle"], True) == [1.0, 3.0]
    onehot = np.array([[1, 0], [1, 0], [1, 0], [0, 1]], dtype=bool)
    assert loss_weights(onehot, ["OBJ", "SUBJ"], False) == [pytest.approx(4 / 6), 2.0]


# -- configs -----------------------------------------------------------------------------------

@pytest.mark.parametrize("experiment, labels, multi", [
    ("seed_claims_overfit", ("claim", "obstacle"), True),
    ("checkthat_tiny", ("claim",), True),
    ("subjectivity_tiny", ("OBJ", "SUBJ"), False),
])
def test_experiments_compose(compose_cfg, experiment, labels, multi):
    cfg = compose_cfg(f"experiment={experiment}")
    assert cfg.task.name == "claims" and cfg.task.multi_label is multi
    assert cfg.data.sentence_labels == labels


def test_missing_checkthat_folder_names_the_path(compose_cfg, tmp_path):
    from araft.run import run_training

    cfg = compose_cfg("experiment=checkthat_tiny", f"paths.shared_data={tmp_path / 'absent'}")
    with pytest.raises(ConfigError, match="checkthat2024_task1_arabic"):
        run_training(cfg, tmp_path / "run")


def test_checkthat_and_subjectivity_read(compose_cfg, shared_data):
    from araft.splits import load_splits

    cfg = compose_cfg("experiment=subjectivity_tiny", f"paths.shared_data={shared_data}")
    splits = load_splits(cfg.data)
    assert len(splits.train) == 1185 and {s.labels for a in splits.dev for s in a.sentences} == {
        ("OBJ",), ("SUBJ",)}
    cfg = compose_cfg("experiment=checkthat_tiny", f"paths.shared_data={shared_data}")
    dev = load_splits(cfg.data).dev
    assert sum(a.sentences[0].labels == ("claim",) for a in dev) == 411


# -- predictor around an untrained head ---------------------------------------------------------

def test_predict_labels_every_sentence_with_scores():
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from araft.modelio import ModelSettings
    from araft.tasks.claims.predictor import ClaimsPredictor

    model = AutoModelForSequenceClassification.from_pretrained(
        TINY, num_labels=2, id2label={0: "claim", 1: "obstacle"},
        label2id={"claim": 0, "obstacle": 1}, problem_type="multi_label_classification")
    settings = ModelSettings(task="claims", preprocess="arabertv02", max_length=64,
                             thresholds={"claim": 0.0, "obstacle": 1.01})
    pred = ClaimsPredictor(model, AutoTokenizer.from_pretrained(TINY), settings, device="cpu")
    art = pred.predict(TEXT)
    assert [(s.start, s.end) for s in art.sentences] == split_sentences(TEXT)
    assert all(s.labels == ("claim",) for s in art.sentences)  # thresholds 0 and > 1
    assert all(set(s.scores) == {"claim", "obstacle"} and 0 <= s.scores["claim"] <= 1
               for s in art.sentences)
