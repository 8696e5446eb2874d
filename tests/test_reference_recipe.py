"""benchmarks/reference_recipe.py: the run_ner.py recipe that araft's quality is compared with.

What must hold for the comparison to be honest: truncation really drops the words past max_length
(the recipe never predicts them), the recipe's own seqeval figure covers only the words it kept, and
the full-gold figure counts every entity with a cut word as missed."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")

from benchmarks import common, data_path, reference_recipe as rr  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore")
MAX_LENGTH = 16  # 14 subwords: most ANERcorp sentences are cut


def test_full_gold_scoring_counts_cut_entities_as_missed():
    gold = [["B-PERS", "I-PERS", "O", "B-LOC", "O", "B-ORG"]]
    seen = [[0, 1, 2, 3]]  # the recipe kept four words; ORG lies past the cut
    pred_seen = [["B-PERS", "I-PERS", "O", "B-LOC"]]  # perfect on what it saw
    own = rr.recipe_scores([[gold[0][w] for w in seen[0]]], pred_seen)
    assert own["f1"] == 1.0  # run_ner.py's figure cannot see the loss
    full = [rr.full_gold_tags(6, seen[0], pred_seen[0])]
    assert full == [["B-PERS", "I-PERS", "O", "B-LOC", "O", "O"]]
    assert rr.full_gold_f1(gold, full) == pytest.approx(2 * (1.0 * 2 / 3) / (1.0 + 2 / 3))
    loss = rr.truncation_loss(gold, seen, [True])
    assert loss == {"sentences": 1, "sentences_cut": 1, "words": 6, "words_lost": 2, "words_cut": 2,
                    "entities": 3, "entities_cut": 1, "entities_lost_whole": 1}
    # an entity straddling the cut loses a word, but is not wholly lost
    straddle = rr.truncation_loss([["B-LOC", "I-LOC"]], [[0]], [True])
    assert straddle["entities_cut"] == 1 and straddle["entities_lost_whole"] == 0
    # a word without subwords (a lone tatweel) is never labelled, yet nothing was cut
    empty = rr.truncation_loss([["O", "O", "B-LOC"]], [[0, 2]], [False])
    assert empty["words_lost"] == 1 and empty["words_cut"] == 0 and empty["sentences_cut"] == 0


def test_recipe_trains_a_few_steps_and_leaves_cut_words_unpredicted(tmp_path):
    from arabert.preprocess import ArabertPreprocessor
    from transformers import AutoTokenizer

    from araft.metrics.bootstrap import iob2_entities
    from araft.corpus.tags import repair_iob2

    train = data_path.subset(common.ANER_TRAIN, tmp_path / "train.conll", 48)
    dev = data_path.subset(common.ANER_DEV, tmp_path / "dev.conll", 24)
    budget = rr.Budget(epochs=1, lr=1e-3, batch_size=8, eval_batch_size=16, max_length=MAX_LENGTH,
                       warmup_ratio=0.0, weight_decay=0.0, scheduler="linear", seed=0, max_steps=4)
    res = rr.run(train, dev, common.TINY_MODEL, budget, tmp_path / "run")
    assert res["steps"] == 4 and res["train_features"] == 48  # truncation: one feature per sentence
    assert len(res["epochs"]) == 1 and res["best"] == 0
    assert 0 < res["time_to_best_s"] <= res["train_end_s"]
    cut = res["dev_truncation"]
    assert cut["sentences"] == 24 and cut["words_lost"] > 0 and cut["entities_cut"] > 0

    # the same features again: which words the recipe saw
    l2i = data_path.label2id()
    words, gold, rows = rr.read_split(dev, ArabertPreprocessor("bert-base-arabertv02"), l2i)
    tok = AutoTokenizer.from_pretrained(common.TINY_MODEL)
    enc = rr.aligner(tok, MAX_LENGTH, keep_word_index=True)(
        {"tokens": [r["tokens"] for r in rows], "ner_tags": [r["ner_tags"] for r in rows]})
    assert all(len(ids) <= MAX_LENGTH for ids in enc["input_ids"])
    assert sum(len(ws) - len(ix) for ws, ix in zip(words, enc["word_index"])) == cut["words_lost"]
    assert sum(enc["truncated"]) == cut["sentences_cut"] > 0
    for ws, ix, trunc in zip(words, enc["word_index"], enc["truncated"]):
        assert trunc == (max(ix) < len(ws) - 1)  # no dev sentence of this slice ends in an empty word
    pred = res["predictions"]
    assert [len(p) for p in pred] == [len(ws) for ws in words]
    missed = 0
    for g, p, seen in zip(gold, pred, enc["word_index"]):
        lost = set(range(len(g))) - set(seen)
        assert all(p[w] == "O" for w in lost)  # never predicted: O on the full gold
        found = iob2_entities(repair_iob2(p))
        for ent in iob2_entities(g):
            if any(w in lost for w in range(ent[1], ent[2])):
                assert ent not in found  # an entity with a cut word is a miss
                missed += 1
    assert missed == cut["entities_cut"]
    assert res["epochs"][0]["full_gold_f1"] == pytest.approx(rr.full_gold_f1(gold, pred))


@pytest.mark.slow
def test_quick_recipe_comparison_prints_its_table_and_ratio(tmp_path):
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}
    proc = subprocess.run([sys.executable, "-m", "benchmarks.quality", "--quick", "--recipe",
                           "--seeds", "42", "--recipe-out", str(tmp_path / "recipe")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    out = proc.stdout
    assert sum(ln.startswith("RATIO quality-recipe:") for ln in out.splitlines()) == 1, out[-3000:]
    assert sum(ln.startswith("RATIO quality:") for ln in out.splitlines()) == 1, out[-3000:]
    assert "pooled" in out and "recipe's truncation, dev" in out
    assert (tmp_path / "recipe" / "recipe-araft-seed42" / "metrics.json").is_file()
