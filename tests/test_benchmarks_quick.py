"""benchmarks/: every benchmark runs at --quick size and prints its ratio line; the data-path
baseline and araft give identical features. No timing is asserted: the figures live in
docs/benchmarks.md."""
from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import common, crf, data_path

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.filterwarnings("ignore")


def test_baseline_and_araft_features_are_identical(tmp_path):
    """The notebook recipe and araft's WordEncoder path agree on real ANERcorp sentences,
    including a sentence whose I- tag starts an entity and words AraBERT preprocessing splits."""
    from arabert.preprocess import ArabertPreprocessor
    from transformers import AutoTokenizer

    from araft.encoding import WordEncoder
    from araft.preprocessing import WordPreprocessor

    conll = data_path.subset(common.ANER_TRAIN, tmp_path / "train.conll", 80)
    tok = AutoTokenizer.from_pretrained(common.TINY_MODEL)
    l2i = data_path.label2id()
    base = data_path.baseline_features(conll, tok, ArabertPreprocessor("bert-base-arabertv02"), l2i)
    ours, n_words = data_path.araft_features(conll, tok, WordEncoder(tok, WordPreprocessor("arabertv02")),
                                             l2i, cache_dir=None)
    assert len(base) == len(ours) == 80
    assert [list(x) for x in ours["input_ids"]] == [b[0] for b in base]
    assert [list(x) for x in ours["labels"]] == [b[1] for b in base]
    assert n_words == sum(sum(1 for x in b[1] if x != -100) for b in base)  # one label per word


def test_identity_check_names_the_first_differing_sentence(tmp_path):
    same = [([2, 5, 3], [-100, 0, -100])]
    with open(tmp_path / "a.pkl", "wb") as fh:
        pickle.dump(same * 2, fh)
    with open(tmp_path / "b.pkl", "wb") as fh:
        pickle.dump(same + [([2, 6, 3], [-100, 0, -100])], fh)
    assert data_path.check_identical(tmp_path, ["a", "a"]) == 2
    with pytest.raises(AssertionError, match="sentence 1"):
        data_path.check_identical(tmp_path, ["a", "b"])


def test_crf_features_see_shape_affixes_and_neighbours():
    assert crf.word_shape("فرانكفورت") == "a"
    assert crf.word_shape("U.S.") == "A.A."
    assert crf.word_shape("1986") == "d"
    feats = crf.sentence_features(["ذكر", "والمغرب", "1986"])
    assert feats[1]["p1"] == "و" and feats[1]["s2"] == "رب"
    assert feats[1]["-1:w"] == "ذكر" and feats[1]["1:shape"] == "d"
    assert feats[0]["-1:edge"] and feats[2]["2:edge"]


def test_ratio_line_says_whether_the_target_holds(capsys):
    assert common.ratio_line("demo", 2.5, "a/b", 2.0) is True
    assert common.ratio_line("demo", 70.0, "share", 80.0, unit="%") is False
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "RATIO demo: a/b = 2.50x (target >= 2x: met)"
    assert out[1].endswith("(target >= 80%: MISSED)")


# Each benchmark end to end at --quick size, in its own interpreter as `make bench` runs it.
# The slow ones (over ~60 s on two shared cores) are deselected by default in `make test`.
QUICK = [
    "data_path",
    pytest.param("training", marks=pytest.mark.slow),
    "inference",
    "overhead",
    "joint_predict",
    pytest.param("quality", marks=pytest.mark.slow),
]


@pytest.mark.parametrize("name", QUICK)
def test_quick_benchmark_prints_its_ratio(name):
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}
    proc = subprocess.run([sys.executable, "-m", f"benchmarks.{name}", "--quick"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith(f"RATIO {name}:")]
    assert len(lines) == 1, proc.stdout[-3000:]
    assert "target" in lines[0]
    if name == "data_path":
        assert "IDENTICAL features" in proc.stdout


def test_quality_pairs_the_runs_dev_predictions_with_the_crfs(tmp_path):
    from araft.corpus.formats import read_articles
    from araft.corpus.jsonl import write_jsonl
    from benchmarks import quality
    from benchmarks.data_path import subset

    dev = subset(common.ANER_DEV, tmp_path / "dev.conll", 30)
    words, tags = crf.gold(dev)
    (tmp_path / "run" / "predictions").mkdir(parents=True)
    write_jsonl(read_articles(dev), tmp_path / "run" / "predictions" / "dev.jsonl")  # a perfect run
    paired = quality.encoder_minus_crf(tmp_path / "run", dev, [["O"] * len(ws) for ws in words])
    assert paired["sentences"] == 30 and paired["delta"] == 1.0 and paired["low"] > 0.9
    assert quality.encoder_minus_crf(tmp_path / "none", dev, []) is None
    other = subset(common.ANER_TRAIN, tmp_path / "train.conll", 30)
    with pytest.raises(AssertionError, match="not those of"):
        quality.encoder_minus_crf(tmp_path / "run", other, [["O"] * len(ws) for ws in words])
