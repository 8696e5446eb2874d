"""Per-sentence counts and the bootstrap: exact agreement with the modules, and sane intervals."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from seqeval.scheme import IOB2, Tokens

from araft.errors import AraftError, DataError
from araft.metrics import load_metric
from araft.metrics.bootstrap import (HEADLINE, EntityCounts, bootstrap_ci, entity_counts,
                                     group_counts, iob2_entities, multilabel_counts,
                                     paired_bootstrap, scores_from_counts)

ANERCORP = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "anercorp_camellab_recon" / "train.conll"


def anercorp(limit: int | None = None) -> list[list[str]]:
    if not ANERCORP.exists():
        pytest.skip(f"shared data not present: {ANERCORP}")
    sentences, current = [], []
    for line in ANERCORP.read_text(encoding="utf-8").splitlines():
        if line.strip():
            current.append(line.split("\t")[-1])
        elif current:
            sentences.append(current)
            current = []
    if current:
        sentences.append(current)
    return sentences[:limit]


def perturb(gold: list[list[str]], seed: int, rate: float = 1.0) -> list[list[str]]:
    """Type swaps, B turned I, dropped I-, stray I-/B- tags; `rate` scales how often."""
    rng = np.random.default_rng(seed)
    types = ["PERS", "LOC", "ORG", "MISC"]
    out = []
    for sent in gold:
        new = []
        for tag in sent:
            u = rng.random() / rate
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


def seqeval_entities(tags: list[str]) -> set[tuple[str, int, int]]:
    return {(e.tag, e.start, e.end) for e in Tokens(tags, IOB2).entities}


TAGS = st.sampled_from(["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "I-ORG"])


@settings(max_examples=300, deadline=None)
@given(st.lists(TAGS, max_size=12))
def test_entity_extraction_equals_seqeval_strict(tags):
    assert iob2_entities(tags) == seqeval_entities(tags)


def test_entity_extraction_equals_seqeval_on_anercorp():
    gold = anercorp(1000)
    for sent in gold + perturb(gold, seed=2):
        assert iob2_entities(sent) == seqeval_entities(sent)


@pytest.fixture(scope="module")
def entity_metric():
    return load_metric("entity_f1")


def test_ner_counts_scores_equal_module_exactly(entity_metric):
    gold = anercorp(500)
    pred = perturb(gold, seed=3)
    module = entity_metric.compute(predictions=pred, references=gold)
    counts = entity_counts(gold, pred)
    assert counts.counts.shape == (500, 4, 3) and counts.types == ("LOC", "MISC", "ORG", "PERS")
    ours = scores_from_counts(counts)
    for key in HEADLINE:
        assert ours[key] == module[key], key
    assert ours["per_type"] == module["per_type"]


def test_named_types_keep_their_order_and_absent_types_stay_out_of_macro():
    gold = [["B-PER", "O", "B-LOC"]]
    pred = [["B-PER", "O", "O"]]
    counts = entity_counts(gold, pred, types=["PER", "LOC", "ORG"])
    assert counts.types == ("PER", "LOC", "ORG")
    assert counts.counts[0].tolist() == [[1, 0, 0], [0, 0, 1], [0, 0, 0]]
    scores = scores_from_counts(counts)
    assert scores["macro_f1"] == 0.5  # mean of PER (1.0) and LOC (0.0); ORG never occurs
    assert scores["per_type"]["ORG"]["support"] == 0
    with pytest.raises(DataError):
        entity_counts(gold, pred, types=["PER"])


def test_multilabel_counts_scores_equal_module_exactly():
    rng = np.random.default_rng(5)
    ref = (rng.random((200, 3)) < [0.4, 0.15, 0.0]).astype(int)
    pred = np.where(rng.random((200, 3)) < 0.85, ref, 1 - ref)
    labels = ["claim", "obstacle", "none"]
    module = load_metric("multilabel_f1").compute(predictions=pred, references=ref, labels=labels)
    counts = multilabel_counts(ref, pred, labels)
    ours = scores_from_counts(counts)
    for key in HEADLINE:
        assert ours[key] == module[key], key
    assert ours["per_type"] == module["per_label"]


def test_intervals_contain_the_point_and_shrink_with_more_sentences():
    gold = anercorp(3200)
    pred = perturb(gold, seed=4)
    small = entity_counts(gold[:800], pred[:800])
    large = entity_counts(gold, pred)
    for counts in (small, large):
        point = scores_from_counts(counts)
        ci = bootstrap_ci(counts, n_resamples=500, seed=0)
        for key in HEADLINE:
            assert ci[key][0] <= point[key] <= ci[key][1], key
        for t, (low, high) in ci["per_type"].items():
            assert low <= point["per_type"][t]["f1"] <= high, t
    ci_small, ci_large = bootstrap_ci(small, 500), bootstrap_ci(large, 500)
    for key in ("micro_f1", "macro_f1", "micro_precision", "micro_recall"):
        assert ci_large[key][1] - ci_large[key][0] < ci_small[key][1] - ci_small[key][0], key


def test_bootstrap_is_deterministic_and_checks_its_arguments():
    gold = anercorp(200)
    counts = entity_counts(gold, perturb(gold, seed=6))
    assert bootstrap_ci(counts, 100, seed=7) == bootstrap_ci(counts, 100, seed=7)
    assert bootstrap_ci(counts, 100, seed=7) != bootstrap_ci(counts, 100, seed=8)
    with pytest.raises(AraftError):
        bootstrap_ci(counts, confidence=1.5)
    with pytest.raises(DataError):
        bootstrap_ci(entity_counts([], []))


def test_paired_bootstrap_delta_interval_and_p_value():
    gold = anercorp(1500)
    good = entity_counts(gold, perturb(gold, seed=8, rate=0.3))
    bad = entity_counts(gold, perturb(gold, seed=9, rate=1.0))
    result = paired_bootstrap(good, bad, n_resamples=1000, seed=0)
    a, b = scores_from_counts(good), scores_from_counts(bad)
    for key in HEADLINE:
        entry = result[key]
        assert entry["delta"] == a[key] - b[key]
        assert entry["low"] <= entry["delta"] <= entry["high"]
    # A much cleaner tagger on 1500 sentences: clearly better, so the p-value is at its floor.
    assert result["micro_f1"]["delta"] > 0.05
    assert result["micro_f1"]["p_value"] == pytest.approx(2 / 1001)
    for t, entry in result["per_type"].items():
        assert entry["delta"] == a["per_type"][t]["f1"] - b["per_type"][t]["f1"]
        assert entry["low"] <= entry["delta"] <= entry["high"]


def test_paired_bootstrap_of_a_system_with_itself():
    gold = anercorp(300)
    counts = entity_counts(gold, perturb(gold, seed=10))
    result = paired_bootstrap(counts, counts, n_resamples=300)
    for entry in [result[k] for k in HEADLINE] + list(result["per_type"].values()):
        assert entry == {"delta": 0.0, "low": 0.0, "high": 0.0, "p_value": 1.0}


def test_paired_bootstrap_needs_the_same_sentences():
    gold = anercorp(100)
    with pytest.raises(AraftError):
        paired_bootstrap(entity_counts(gold, gold), entity_counts(gold[:50], gold[:50]))


def test_multilabel_counts_reject_bad_arrays():
    with pytest.raises(DataError):
        multilabel_counts(np.zeros((4, 2)), np.zeros((4, 3)), ["a", "b"])
    with pytest.raises(DataError):
        multilabel_counts(np.zeros((4, 2)), np.zeros((4, 2)), ["a"])
    with pytest.raises(DataError):
        multilabel_counts(np.zeros((4, 2)), np.full((4, 2), 3), ["a", "b"])


def test_bootstrap_on_a_full_corpus_is_repeatable_and_brackets_the_score():
    """A whole corpus (speed is measured by benchmarks, never asserted here: a busy machine is slow)."""
    gold = anercorp()
    assert len(gold) > 3900
    counts = entity_counts(gold, perturb(gold, seed=11))
    first = bootstrap_ci(counts, n_resamples=1000, seed=0)
    assert first == bootstrap_ci(counts, n_resamples=1000, seed=0)
    for metric in ("micro_f1", "micro_precision", "micro_recall"):
        low, high = first[metric]
        assert 0.0 < low < high < 1.0


def test_group_counts_sums_rows_per_group_and_keeps_the_scores():
    rng = np.random.default_rng(12)
    ref = (rng.random((60, 2)) < [0.4, 0.1]).astype(int)
    pred = np.where(rng.random((60, 2)) < 0.8, ref, 1 - ref)
    counts = multilabel_counts(ref, pred, ["claim", "obstacle"])
    groups = [f"a{k}" for k in rng.integers(0, 7, size=60)]
    grouped = group_counts(counts, groups)
    order = list(dict.fromkeys(groups))  # first appearance
    assert grouped.n_sentences == len(order) and grouped.types == counts.types
    assert grouped.macro_over_present is False
    for row, g in zip(grouped.counts, order):
        assert row.tolist() == counts.counts[[x == g for x in groups]].sum(axis=0).tolist()
    assert scores_from_counts(grouped) == scores_from_counts(counts)

    ner = entity_counts([["B-PER", "O"], ["B-LOC", "I-LOC"], ["O", "B-ORG"]],
                        [["B-PER", "O"], ["B-LOC", "O"], ["O", "O"]])
    by_article = group_counts(ner, ["x", "y", "x"])
    assert by_article.macro_over_present is True and by_article.counts.shape == (2, 3, 3)
    assert scores_from_counts(by_article) == scores_from_counts(ner)
    # one sentence per group: the very same rows, so the very same bootstrap
    assert bootstrap_ci(group_counts(ner, ["p", "q", "r"]), 50) == bootstrap_ci(ner, 50)


def test_group_counts_needs_one_group_per_sentence():
    counts = multilabel_counts(np.zeros((4, 1)), np.zeros((4, 1)), ["claim"])
    with pytest.raises(AraftError, match="3 group ids for 4 sentences"):
        group_counts(counts, ["a", "a", "b"])


def test_clustered_labels_give_a_wider_interval_over_articles():
    """All positives in 2 of 40 articles: sentences look independent, articles show the truth."""
    n_articles, per = 40, 20
    groups = [f"a{k}" for k in range(n_articles) for _ in range(per)]
    ref = np.zeros((n_articles * per, 1), dtype=int)
    ref[:15] = 1                     # article a0: 15 positives
    ref[per:per + 15] = 1            # article a1: 15 positives
    pred = ref.copy()
    pred[:12] = 1                    # a0 mostly right, a1 mostly missed
    pred[per + 4:per + 15] = 0
    pred[::37] = 1                   # a few false positives spread over the articles
    counts = multilabel_counts(ref, pred, ["obstacle"])
    by_sentence = bootstrap_ci(counts, 1000, seed=0)["per_type"]["obstacle"]
    by_article = bootstrap_ci(group_counts(counts, groups), 1000, seed=0)["per_type"]["obstacle"]
    point = scores_from_counts(counts)["per_type"]["obstacle"]["f1"]
    assert by_article[0] <= point <= by_article[1]
    assert by_article[1] - by_article[0] > 1.5 * (by_sentence[1] - by_sentence[0])
