"""Preprocessing: the AraBERT rules per word, cached; unusable modes are errors, never fallbacks."""
from __future__ import annotations

import shutil

import pytest

from araft.errors import ConfigError
from araft.preprocessing import WordPreprocessor, preprocess_text


def test_v02_rules_per_word_and_cache():
    pre = WordPreprocessor("arabertv02")
    assert pre("الـــروسي") == "الروسي"        # tatweel removed
    assert pre("ووفقًا") == "ووفقا"            # diacritics removed
    assert pre("Miami") == "Miami"
    assert pre.cache_size == 3
    pre("الـــروسي")
    assert pre.cache_size == 3                 # each distinct word is preprocessed once


def test_none_mode_passes_words_through():
    assert WordPreprocessor("none")("ووفقًا") == "ووفقًا"


def test_unknown_mode_is_an_error():
    with pytest.raises(ConfigError, match="unknown preprocessing mode 'arabertv9'"):
        WordPreprocessor("arabertv9")


def test_preprocess_text_joins_words_for_plain_pipelines():
    out = preprocess_text("قال دميترييف: “المناقشات بنّاءة”.", "arabertv02")
    assert out == "قال دميترييف : “ المناقشات بناءة ” ."


def test_v2_without_working_farasa_is_a_clear_error():
    """No network here: farasapy cannot fetch its jar, and araft must say so, not return ''."""
    try:
        import farasa  # noqa: F401
    except ImportError:
        with pytest.raises(ConfigError, match="pip install farasapy"):
            WordPreprocessor("arabertv2")
        return
    if shutil.which("java") is None:
        with pytest.raises(ConfigError, match="Java runtime"):
            WordPreprocessor("arabertv2")
        return
    try:
        pre = WordPreprocessor("arabertv2")
    except ConfigError as err:
        assert "Farasa" in str(err) and "farasa_bin.zip" in str(err)
    else:  # a machine where Farasa really works: then it must segment, not return nothing
        assert pre("والولايات").strip()


def test_farasa_failing_to_start_is_a_clear_error(monkeypatch):
    """Without its jar, farasapy's Java process may exit before araft's probe, so the failure comes
    from arabert's constructor (a BrokenPipeError); it is the same clear error."""
    pytest.importorskip("farasa")
    if shutil.which("java") is None:
        pytest.skip("no Java runtime: the earlier check answers")
    import arabert.preprocess

    class Broken:
        def __init__(self, name):
            raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(arabert.preprocess, "ArabertPreprocessor", Broken)
    with pytest.raises(ConfigError, match="could not be started.*farasa_bin.zip.*Broken pipe"):
        WordPreprocessor("arabertv2")
