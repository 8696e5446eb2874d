"""The shipped evaluate modules: offline loading, and agreement with seqeval / scikit-learn."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from seqeval.metrics import accuracy_score, f1_score, precision_score, recall_score
from seqeval.metrics.v1 import precision_recall_fscore_support
from seqeval.scheme import IOB2
from sklearn.metrics import average_precision_score, f1_score as sk_f1, roc_auc_score

from araft.errors import ConfigError, DataError
from araft.metrics import load_metric, metric_path, multilabel_report, ner_report

ANERCORP = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "anercorp_camellab_recon" / "train.conll"

HAND_GOLD = [["B-PER", "I-PER", "O", "B-LOC", "O"],
             ["O", "B-ORG", "I-ORG", "I-ORG", "O", "B-MISC"],
             ["B-LOC", "O", "B-PER"]]
# A boundary error, a type error, a stray I- (no entity in strict IOB2), a spurious and a missed entity.
HAND_PRED = [["B-PER", "I-PER", "O", "I-LOC", "O"],
             ["O", "B-ORG", "I-ORG", "O", "O", "B-LOC"],
             ["B-LOC", "B-PER", "B-PER"]]


def read_conll_tags(path: Path, limit: int | None = None) -> list[list[str]]:
    sentences, current = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if current:
                sentences.append(current)
                current = []
                if limit is not None and len(sentences) == limit:
                    break
            continue
        current.append(line.split("\t")[-1])
    if current and (limit is None or len(sentences) < limit):
        sentences.append(current)
    return sentences


def perturb(gold: list[list[str]], seed: int = 1) -> list[list[str]]:
    """A plausible bad tagger: type swaps, shrunk spans, B turned I, stray I- and spurious B-."""
    rng = np.random.default_rng(seed)
    types = ["PERS", "LOC", "ORG", "MISC"]
    out = []
    for sent in gold:
        new = []
        for tag in sent:
            u = rng.random()
            if tag.startswith("B-") and u < 0.08:
                tag = "B-" + types[rng.integers(4)]
            elif tag.startswith("B-") and u < 0.12:
                tag = "I-" + tag[2:]
            elif tag.startswith("I-") and u < 0.10:
                tag = "O"
            elif tag == "O" and u < 0.02:
                tag = ("B-" if rng.random() < 0.5 else "I-") + types[rng.integers(4)]
            new.append(tag)
        out.append(new)
    return out


def anercorp(limit: int) -> list[list[str]]:
    if not ANERCORP.exists():
        pytest.skip(f"shared data not present: {ANERCORP}")
    return read_conll_tags(ANERCORP, limit)


@pytest.fixture(scope="module")
def entity_metric():
    return load_metric("entity_f1")


@pytest.fixture(scope="module")
def multilabel_metric():
    return load_metric("multilabel_f1")


def assert_matches_seqeval(result: dict, gold, pred) -> None:
    kw = dict(mode="strict", scheme=IOB2, zero_division=0)
    assert result["micro_f1"] == f1_score(gold, pred, average="micro", **kw)
    assert result["micro_precision"] == precision_score(gold, pred, average="micro", **kw)
    assert result["micro_recall"] == recall_score(gold, pred, average="micro", **kw)
    assert result["macro_f1"] == f1_score(gold, pred, average="macro", **kw)
    assert result["macro_precision"] == precision_score(gold, pred, average="macro", **kw)
    assert result["macro_recall"] == recall_score(gold, pred, average="macro", **kw)
    assert result["accuracy"] == accuracy_score(gold, pred)
    p, r, f, s = precision_recall_fscore_support(gold, pred, average=None, scheme=IOB2,
                                                 zero_division=0)
    assert list(result["per_type"]) == sorted(result["per_type"])
    got = [(v["precision"], v["recall"], v["f1"], v["support"]) for v in result["per_type"].values()]
    assert got == [(float(a), float(b), float(c), int(d)) for a, b, c, d in zip(p, r, f, s)]


def test_entity_f1_hand_example(entity_metric):
    result = entity_metric.compute(predictions=HAND_PRED, references=HAND_GOLD)
    assert_matches_seqeval(result, HAND_GOLD, HAND_PRED)
    # Strict IOB2 by hand: gold has 6 entities, prediction 6 (the stray I-LOC is none); PER x2 and
    # the first LOC match.
    assert result["support"] == 6
    assert result["micro_precision"] == 3 / 6 and result["micro_recall"] == 3 / 6
    assert result["per_type"]["PER"] == {"precision": 2 / 3, "recall": 1.0, "f1": 0.8, "support": 2}
    assert result["per_type"]["MISC"]["f1"] == 0.0


def test_entity_f1_on_anercorp_slice(entity_metric):
    gold = anercorp(400)
    pred = perturb(gold)
    result = entity_metric.compute(predictions=pred, references=gold)
    assert_matches_seqeval(result, gold, pred)
    assert set(result["per_type"]) == {"PERS", "LOC", "ORG", "MISC"}
    assert 0.5 < result["micro_f1"] < 0.95
    perfect = entity_metric.compute(predictions=gold, references=gold)
    assert perfect["micro_f1"] == perfect["macro_f1"] == perfect["accuracy"] == 1.0


def test_multilabel_f1_matches_sklearn(multilabel_metric):
    rng = np.random.default_rng(3)
    ref = (rng.random((120, 3)) < [0.3, 0.1, 0.0]).astype(int)  # third label: never gold
    scores = np.clip(ref * 0.4 + rng.random((120, 3)) * 0.7, 0, 1)
    pred = (scores > 0.5).astype(int)
    labels = ["claim", "obstacle", "other"]
    out = multilabel_metric.compute(predictions=pred, references=ref, scores=scores, labels=labels)
    assert out["micro_f1"] == pytest.approx(sk_f1(ref, pred, average="micro", zero_division=0), abs=1e-12)
    assert out["macro_f1"] == pytest.approx(sk_f1(ref, pred, average="macro", zero_division=0), abs=1e-12)
    per = sk_f1(ref, pred, average=None, zero_division=0)
    assert [out["per_label"][n]["f1"] for n in labels] == pytest.approx(list(per), abs=1e-12)
    assert out["exact_match"] == float((ref == pred).all(axis=1).mean())
    assert out["per_label"]["claim"]["support"] == int(ref[:, 0].sum())
    for i, name in enumerate(labels[:2]):
        assert out["per_label"][name]["roc_auc"] == roc_auc_score(ref[:, i], scores[:, i])
        assert out["per_label"][name]["average_precision"] == average_precision_score(ref[:, i], scores[:, i])
    assert out["per_label"]["other"]["roc_auc"] is None
    assert out["per_label"]["other"]["average_precision"] is None
    plain = multilabel_metric.compute(predictions=pred, references=ref)
    assert "roc_auc" not in plain["per_label"]["label_0"]


def test_modules_load_offline_in_a_fresh_process(tmp_path):
    """Offline flags set before evaluate is imported, and a dead Hub endpoint: nothing may reach out."""
    code = (
        "import evaluate, sys\n"
        "m = evaluate.load(sys.argv[1])\n"
        "print(m.compute(predictions=[['B-PER', 'O']], references=[['B-PER', 'O']])['micro_f1'])\n"
        "m = evaluate.load(sys.argv[2])\n"
        "print(m.compute(predictions=[[1, 0]], references=[[1, 1]])['micro_recall'])\n"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1",
           "HF_ENDPOINT": "http://127.0.0.1:9", "HF_HOME": str(tmp_path / "hf")}
    proc = subprocess.run([sys.executable, "-c", code, str(metric_path("entity_f1")),
                           str(metric_path("multilabel_f1"))],
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["1.0", "0.5"]


def test_unknown_metric_is_a_config_error():
    with pytest.raises(ConfigError):
        load_metric("bleu")


def test_ner_report_is_json_with_intervals():
    gold = anercorp(300)
    pred = perturb(gold)
    report = ner_report(gold, pred, n_resamples=200, seed=1)
    text = json.dumps(report, allow_nan=False)  # plain JSON types only
    assert json.loads(text) == report
    for metric in ("micro_f1", "macro_f1", "micro_precision", "micro_recall"):
        low, high = report["ci"][metric]
        assert low <= report[metric] <= high
    for row in report["per_type"].values():
        assert row["f1_ci"][0] <= row["f1"] <= row["f1_ci"][1]
    assert report["bootstrap"]["n_sentences"] == 300


def test_multilabel_report_is_json_with_intervals():
    rng = np.random.default_rng(0)
    ref = rng.integers(0, 2, (80, 2))
    pred = np.where(rng.random((80, 2)) < 0.8, ref, 1 - ref)
    report = multilabel_report(ref, pred, rng.random((80, 2)), ["claim", "obstacle"], n_resamples=200)
    json.dumps(report, allow_nan=False)
    assert report["ci"]["micro_f1"][0] <= report["micro_f1"] <= report["ci"]["micro_f1"][1]
    assert set(report["per_label"]["claim"]) >= {"f1", "f1_ci", "roc_auc", "average_precision"}


@pytest.mark.parametrize("gold, pred", [
    ([["O", "B-PER"]], [["O"]]),                      # sentence lengths differ
    ([["O"], ["O"]], [["O"]]),                        # sentence counts differ
    ([["O", "B-PER"]], [["O", "X-PER"]]),             # not an IOB2 tag
])
def test_ner_report_rejects_bad_input(gold, pred):
    with pytest.raises(DataError):
        ner_report(gold, pred, n_resamples=10)


def test_multilabel_report_rejects_bad_input():
    with pytest.raises(DataError):
        multilabel_report(np.ones((3, 2)), np.ones((3, 3)), None, ["a", "b"])
    with pytest.raises(DataError):
        multilabel_report(np.ones((3, 2)), np.full((3, 2), 2), None, ["a", "b"])
    with pytest.raises(DataError):
        multilabel_report(np.ones((3, 2)), np.ones((3, 2)), np.ones((3, 1)), ["a", "b"])
