"""Features are built with datasets.map and cached: a second run with the same inputs skips work."""
from __future__ import annotations

from transformers import AutoTokenizer

from araft.corpus.formats import read_articles
from araft.encoding import WordEncoder
from araft.preprocessing import WordPreprocessor
from araft.tasks.ner import tag_list
from araft.tasks.ner.train import ner_features

from conftest import ROOT, TINY_MODEL


def _build(cache, key="k1"):
    tok = AutoTokenizer.from_pretrained(TINY_MODEL)
    enc = WordEncoder(tok, WordPreprocessor("arabertv02"))
    arts = read_articles(ROOT / "data" / "anercorp" / "dev.conll")[:60]
    label2id = {t: i for i, t in enumerate(tag_list(["PERS", "LOC", "ORG", "MISC"]))}
    feats, lengths = ner_features(arts, enc, label2id, max_length=64, stride=8, label_all=False,
                                  key=key, cache_dir=str(cache), desc="test")
    return feats, lengths, enc


def test_second_build_loads_from_cache(tmp_path):
    first, lengths, enc1 = _build(tmp_path)
    assert enc1.preprocess.cache_size > 100          # words were preprocessed
    second, lengths2, enc2 = _build(tmp_path)
    assert enc2.preprocess.cache_size == 0           # nothing preprocessed: loaded from the cache
    assert second["input_ids"] == first["input_ids"] and second["labels"] == first["labels"]
    assert lengths == lengths2
    assert any(f["filename"].startswith(str(tmp_path)) for f in second.cache_files)
    # a different key (other data, tokenizer or settings) builds anew
    _, _, enc3 = _build(tmp_path, key="k2")
    assert enc3.preprocess.cache_size > 100


def test_every_word_labelled_once_at_evaluation(tmp_path):
    feats, lengths, _ = _build(tmp_path)
    labelled = sum(1 for row in feats["labels"] for x in row if x != -100)
    assert labelled == sum(len(t) for t in lengths)


def test_extra_eval_sets_keep_their_own_format(compose_cfg):
    """data=anercorp is CoNLL, its extra evaluation set (the seed) is JSONL."""
    from araft.splits import load_splits

    splits = load_splits(compose_cfg("data=anercorp").data)
    assert splits.train[0].meta.get("tokenization") == "whitespace"
    assert [a.id for a in splits.extra["seed"]] == ["000_2a0c97e50c8b63d1"]
