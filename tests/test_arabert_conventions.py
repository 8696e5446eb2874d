"""AraBERT's conventions end to end: an article with a link, an e-mail, an @-name, Latin words,
digits, tatweel and diacritics goes through arabertv02 preprocessing, the stand-in tokenizer of
the AraBERT v0.2 shape, training and prediction, and every predicted span is read back at its
exact offsets in the original text."""
from __future__ import annotations

import json

import pytest
from small_shapes import small_shape

from araft.corpus.article import Article, Entity
from araft.corpus.jsonl import read_jsonl, write_jsonl
from araft.corpus.segment import split_words
from araft.preprocessing import WordPreprocessor

TEXT = ("أعلنت شركة Google في القاهرة يوم 15 مارس 2024 عن شراكة جديدة مع جامعة الملك سعود. "
        "وقال المتحدث مُحمّد العـــربي عبر حسابه @m_alarabi إن التفاصيل منشورة على "
        "https://example.com/news?id=42 وإن الأسئلة تُرسل إلى press@example.org قبل 30 يونيو.\n"
        "وزار وفدٌ من OpenAI مدينة الرياض لبحث التعاون مع وزارة الاتصالات.")
GOLD = [("Google", "ORG"), ("القاهرة", "LOC"), ("جامعة الملك سعود", "ORG"),
        ("مُحمّد العـــربي", "PERS"), ("OpenAI", "ORG"), ("الرياض", "LOC"),
        ("وزارة الاتصالات", "ORG")]
LINK, MAIL, USER = "[رابط]", "[بريد]", "[مستخدم]"


def article() -> Article:
    entities = []
    for surface, label in GOLD:
        start = TEXT.index(surface)
        entities.append(Entity(start, start + len(surface), label))
    return Article("conventions", TEXT, entities)


URL, EMAIL, HANDLE = "https://example.com/news?id=42", "press@example.org", "@m_alarabi"


def test_arabertv02_preprocessing_conventions():
    pre = WordPreprocessor("arabertv02")
    assert pre(URL) == LINK
    assert pre(HANDLE) == USER
    assert pre(EMAIL) in (MAIL, LINK)  # arabert's link rule sees the domain before its mail rule
    assert pre("Google") == "Google" and pre("OpenAI") == "OpenAI"  # Latin kept, not lowered
    assert pre("2024") == "2024" and pre("15") == "15"
    assert pre("العـــربي") == "العربي"  # tatweel removed
    assert pre("مُحمّد") == "محمد"        # diacritics removed


@pytest.mark.xfail(strict=True, reason="araft's word segmenter splits links, e-mails and @-names "
                   "at their punctuation before AraBERT preprocessing sees them, so a link becomes "
                   "'[رابط] : - - example . com ...' instead of one [رابط]")
def test_links_emails_and_handles_reach_preprocessing_whole():
    words = [w.text for w in split_words(TEXT)]
    assert URL in words and EMAIL in words and HANDLE in words


def test_article_through_standin_training_and_prediction(compose_cfg, tmp_path):
    from transformers import AutoTokenizer

    from araft.inference import Predictor
    from araft.run import run_training

    data = tmp_path / "article.jsonl"
    write_jsonl([article()], data)
    shape = small_shape(tmp_path, vocab=2000, hidden=128)
    cfg = compose_cfg("experiment=shape_check", f"model.shape={shape}", "data=seed",
                      f"data.train={data}", f"data.dev={data}", "trainer.max_steps=60",
                      "trainer.lr=2e-3", "trainer.batch_size=2", "model.dropout=0.0")
    run = tmp_path / "run"
    metrics = run_training(cfg, run)

    # the stand-in tokenizer saved with the model: AraBERT's settings on the preprocessed words
    tok = AutoTokenizer.from_pretrained(run / "model")
    for placeholder in (LINK, MAIL, USER):
        assert tok.tokenize(placeholder) == [placeholder]
    pre = WordPreprocessor("arabertv02")
    seen = " ".join(pre(w.text) for w in split_words(TEXT))  # what the model was given
    assert LINK in seen and "ـ" not in seen and "ُ" not in seen
    assert tok.tokenize(seen).count(LINK) == seen.count(LINK)  # one token per placeholder
    assert tok.tokenize("Google 2024") == ["Google", "2024"]  # no lower-casing, digits whole

    # prediction, from the run's own scoring and from the saved model, at original offsets
    scored = read_jsonl(run / "predictions" / "dev.jsonl")[0]
    fresh = Predictor.from_pretrained(run).predict(TEXT, article_id="conventions")
    starts = {w.start for w in split_words(TEXT)}
    ends = {w.end for w in split_words(TEXT)}
    for predicted in (scored, fresh):
        assert predicted.text == TEXT
        assert predicted.entities, "the overfitted model found no entity"
        for e in predicted.entities:
            assert 0 <= e.start < e.end <= len(TEXT)
            assert e.start in starts and e.end in ends, TEXT[e.start:e.end]
    found = {(TEXT[e.start:e.end], e.label) for e in fresh.entities}
    assert found == set(GOLD), found  # tatweel and diacritics are inside the predicted span
    assert metrics["splits"]["dev"]["micro_f1"] == pytest.approx(1.0)
    assert json.loads((run / "model" / "config.json").read_text())["vocab_size"] == 2000
