"""Issue 18, case 9: a mistyped token is never echoed, predicted spans end on visible text, and
`data.extra_eval={}` really removes the default seed evaluation. (train_loss after a resume:
tests/test_resume_kill.py.)"""
from __future__ import annotations

import pytest

from araft.cli import main
from conftest import compose_in


def test_a_mistyped_token_is_not_echoed(capsys):
    secret = "hf_" + "Zq8" * 8  # assembled at runtime: no token-like string is committed
    for argv in (["push", "RUN", "--repo-id", "a/b", "--token", secret],
                 ["push", "RUN", "--repo-id", "a/b", f"--token={secret}"],
                 ["push", "RUN", "--repo-id", "a/b", "--tokn", secret]):
        with pytest.raises(SystemExit) as exit_:
            main(argv)
        assert exit_.value.code == 2
        err = capsys.readouterr().err
        assert "unrecognized arguments" in err
        assert secret not in err and secret[3:] not in err


def test_a_span_does_not_end_or_start_with_a_format_mark():
    from araft.corpus.article import Article
    from araft.corpus.segment import article_words
    from araft.tasks.ner import decode_entities

    text = "قال \u200eكيريل دميترييف\u200e اليوم"
    words = article_words(Article("a", text), 0, len(text))
    assert any(w.text.endswith("\u200e") for w in words)  # the segmenter keeps the mark in the word
    tags = ["B-PERS" if w.text.startswith("\u200e") else "I-PERS" if "دميترييف" in w.text else "O"
            for w in words]
    [entity] = decode_entities(words, tags, [1.0] * len(words))
    assert text[entity.start:entity.end] == "كيريل دميترييف"


def test_extra_eval_can_be_emptied(tmp_path, capsys):
    assert compose_in(tmp_path).data.extra_eval  # the default data has a seed evaluation
    assert compose_in(tmp_path, "data.extra_eval={}").data.extra_eval == {}
    assert main(["train", "--cfg", "job", "data.extra_eval={}", "trainer.max_steps=1"]) == 0
    out = capsys.readouterr().out
    # the typed schema cannot delete a field, so `={}` is composed as null (araft.config.EMPTIABLE)
    assert "extra_eval: null" in out and "seed.jsonl" not in out
