"""Self-training in the silver stage (scripts/tiny_model/encoder_teacher.py): an araft NER model tags
news sentences as it tags an article, in chunks without changing a tag; the silver file and the card
name it as the teacher."""
from __future__ import annotations

import copy
import json
import os
from pathlib import Path

import pytest

from benchmarks.crf import gold, strict_f1
from benchmarks.data_path import subset
from scripts.tiny_model import encoder_teacher, silver
from scripts.tiny_model.silver_card import render_silver_card

ROOT = Path(__file__).resolve().parents[1]
ANER = ROOT / "data" / "anercorp"
SILVER_MODEL = ROOT / "models" / "arabert-mini-news-silver"

os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="module")
def seed_words(seed_article):
    from araft.tasks.ner import sentence_words

    sents = sentence_words([seed_article], with_gold=True)
    return [[w.text for w in s.words] for s in sents], [list(s.gold) for s in sents]


def test_teacher_tags_bare_words_as_it_tags_the_article(seed_ner_run, seed_words):
    run, _ = seed_ner_run
    words, gold_tags = seed_words
    teacher = encoder_teacher.load_teacher(run)
    tags = encoder_teacher.teacher_tags(teacher, words)
    assert [len(t) for t in tags] == [len(w) for w in words]
    assert encoder_teacher.teacher_tags(teacher, words, chunk=3) == tags  # chunks change no tag
    # the run overfits the seed article: read back as bare CoNLL words, it still finds its entities
    assert strict_f1(gold_tags, tags)["micro_f1"] >= 0.8
    # araft's own reading of the same article gives the same tags (repaired as araft repairs them)
    from araft.corpus.tags import repair_iob2

    own = teacher.predict_words(encoder_teacher.words_as_articles(words, "seed"))
    assert [repair_iob2(t) for t in own.tags] == tags


def test_label_news_with_a_teacher_writes_its_tags_and_never_tags_dev(seed_ner_run, seed_words, tmp_path):
    run, _ = seed_ner_run
    words, _ = seed_words
    dev = subset(ANER / "dev.conll", tmp_path / "dev.conll", 30)
    dev_words = gold(dev)[0]
    out = tmp_path / "silver.conll"
    eligible = [ws for ws in words if silver.MIN_WORDS <= len(ws) <= silver.MAX_WORDS]
    counts = silver.label_news(dev_words[:5] + words, ANER / "train.conll", dev, len(eligible), seed=13,
                               out=out, teacher=run)
    written, tags = gold(out)
    assert written == eligible and counts["eligible"] == len(eligible)  # dev sentences dropped
    assert tags == encoder_teacher.teacher_tags(encoder_teacher.load_teacher(run), eligible)
    assert 0 <= counts["teacher_dev_micro_f1"] <= 1 and "crf_iterations" not in counts


def test_words_that_do_not_read_back_one_sentence_each_are_refused():
    with pytest.raises(ValueError, match="news: 2 sentences read back as 1"):
        encoder_teacher.words_as_articles([["كلمة"], []], "news")


@pytest.mark.skipif(not SILVER_MODEL.is_dir(), reason="models/arabert-mini-news-silver not built")
def test_the_card_names_the_teacher_in_place_of_the_crf():
    from scripts.tiny_model.card import _folder_facts

    log = json.loads((SILVER_MODEL / "training_log.json").read_text(encoding="utf-8"))
    facts = _folder_facts(SILVER_MODEL, log)
    crf_card = render_silver_card(facts, has_png=False)
    taught = copy.deepcopy(facts)
    taught["silver"]["teacher"] = "build/teacher_run"
    card = render_silver_card(taught, has_png=False)
    assert "An araft NER model, `build/teacher_run`" in card and "A CRF (`benchmarks/crf.py`" not in card
    assert "| the teacher of stage 2, `build/teacher_run` |" in card and "| the CRF teacher" not in card
    assert "A CRF (`benchmarks/crf.py`" in crf_card and "| the CRF teacher of stage 2" in crf_card
