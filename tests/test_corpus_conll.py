"""CoNLL reader and writer: structure, bad input with file:line, lossless round trips."""
import json
import logging
from pathlib import Path

import pytest

from araft.corpus.conll import dumps_conll, parse_conll, read_conll
from araft.corpus.jsonl import parse_jsonl, write_jsonl
from araft.corpus.segment import article_words
from araft.corpus.tags import normalize_tags
from araft.errors import DataError

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
BUNDLED = ROOT / "data" / "anercorp"


def test_sentence_per_article_text_and_spans():
    text = "محمد\tB-PERS\nعلي\tI-PERS\nفي\tO\nعمان\tB-LOC\n\nقال\tO\n.\tO\n"
    arts = parse_conll(text, "dir/news.conll")
    assert [a.id for a in arts] == ["news-00000", "news-00001"]
    a = arts[0]
    assert a.text == "محمد علي في عمان"
    assert [(a.text[e.start:e.end], e.label) for e in a.entities] == [("محمد علي", "PERS"), ("عمان", "LOC")]
    assert [(s.start, s.end, s.labels) for s in a.sentences] == [(0, len(a.text), ())]
    assert a.meta == {"tokenization": "whitespace", "source": "news.conll"}


def test_docstart_groups_sentences_into_documents():
    text = ("-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\n\n"
            "Peter NNP B-NP B-PER\n\n-DOCSTART- -X- -X- O\n\nBonn NNP B-NP B-LOC\n")
    arts = parse_conll(text, "c.txt")
    assert [a.text for a in arts] == ["EU rejects\nPeter", "Bonn"]
    assert [(s.start, s.end) for s in arts[0].sentences] == [(0, 10), (11, 16)]
    assert [e.label for e in arts[0].entities] == ["ORG", "PER"]
    out = dumps_conll(arts)
    assert out.startswith("-DOCSTART-\tO\n\nEU\tB-ORG\nrejects\tO\n\nPeter\tB-PER\n\n-DOCSTART-")


def test_iob1_file_is_converted_without_warnings(caplog):
    text = "Peter I-PER\nBlack I-PER\nmet O\nBonn I-LOC\nBerlin B-LOC\n"
    with caplog.at_level(logging.WARNING):
        (a,) = parse_conll(text, "old.conll")
    assert [(a.text[e.start:e.end], e.label) for e in a.entities] == \
        [("Peter Black", "PER"), ("Bonn", "LOC"), ("Berlin", "LOC")]
    assert not caplog.records


def test_label_map_applied_on_read():
    (a,) = parse_conll("x\tB-PER\ny\tB-MIS\n", "a.conll", label_map={"PER": "PERS", "MIS": "MISC"})
    assert [e.label for e in a.entities] == ["PERS", "MISC"]


def test_wrong_number_of_columns_names_line():
    with pytest.raises(DataError) as err:
        parse_conll("a\tO\nb\tO\n\nc\tX\tO\n", "bad.conll")
    assert str(err.value).startswith("bad.conll:4: 3 columns")


def test_token_with_inner_space_names_line():
    with pytest.raises(DataError, match=r"bad.conll:2: token 'b c'"):
        parse_conll("a\tO\nb c\tO\n", "bad.conll")


def test_single_column_file_rejected():
    with pytest.raises(DataError, match=r"one.conll:1: expected a token and a tag"):
        parse_conll("word\nother\n", "one.conll")


def test_i_after_o_warns_with_file_line_or_fails_under_strict(caplog):
    text = "a\tB-PERS\nb\tO\nc\tI-LOC\n"
    with caplog.at_level(logging.WARNING):
        (a,) = parse_conll(text, "w.conll")
    assert [e.label for e in a.entities] == ["PERS", "LOC"]
    assert "w.conll:3" in caplog.text
    with pytest.raises(DataError) as err:
        parse_conll(text, "w.conll", strict=True)
    assert str(err.value).startswith("w.conll:3: tag 'I-LOC' after 'O'")


def test_unknown_label_with_declared_set_names_line():
    with pytest.raises(DataError) as err:
        parse_conll("a\tO\n\nb\tB-PERS\nc\tB-GPE\n", "u.conll", entity_labels=["PERS", "LOC"])
    assert str(err.value).startswith("u.conll:4: unknown entity label 'GPE'")


def test_malformed_tag_names_line():
    with pytest.raises(DataError, match=r"m.conll:2: malformed tag 'OO'"):
        parse_conll("a\tO\nb\tOO\n", "m.conll")


def _tokens_and_tags(text: str) -> list[tuple[str, str]]:
    rows = [ln.split("\t") for ln in text.split("\n") if ln.strip()]
    return [(r[0], r[-1]) for r in rows]


def _assert_round_trip(path: Path, tmp_path: Path) -> None:
    original = path.read_text(encoding="utf-8")
    articles = read_conll(path)
    write_jsonl(articles, tmp_path / "a.jsonl")
    back = parse_jsonl((tmp_path / "a.jsonl").read_text(encoding="utf-8"), "a.jsonl")
    assert back == articles
    out = dumps_conll(back)
    # the same sentences, tokens and (IOB2-normalised) tags, in order
    expected_sentences = [b for b in original.split("\n\n") if b.strip()]
    got_sentences = [b for b in out.split("\n\n") if b.strip()]
    assert len(got_sentences) == len(expected_sentences)
    for exp, got in zip(expected_sentences, got_sentences):
        exp_rows = _tokens_and_tags(exp)
        norm = normalize_tags([t for _, t in exp_rows], scheme="iob2", repairs=[])
        assert _tokens_and_tags(got) == [(w, t) for (w, _), t in zip(exp_rows, norm)]


@pytest.mark.parametrize("split", ["train", "dev"])
def test_bundled_anercorp_round_trip_is_exact(split, tmp_path):
    _assert_round_trip(BUNDLED / f"{split}.conll", tmp_path)


def test_shared_anercorp_train_round_trip_is_exact(tmp_path):
    path = SHARED / "anercorp_camellab_recon" / "train.conll"
    if not path.exists():
        pytest.skip("../shared/data is not here")
    _assert_round_trip(path, tmp_path)


def test_round_trip_is_byte_exact_for_iob2_input(tmp_path):
    text = "أعلن\tO\nكيريل\tB-PERS\nدميترييف\tI-PERS\n،\tO\n\nفي\tO\nميامي\tB-LOC\n.\tO\n"
    assert dumps_conll(parse_conll(text, "s.conll")) == text


def test_writer_segments_articles_without_tokenization(tmp_path):
    line = {"id": "x", "text": "قال دميترييف: روسيا مستعدة. وقالت واشنطن ذلك.",
            "entities": [{"start": 4, "end": 12, "label": "PERS"}, {"start": 14, "end": 19, "label": "LOC"},
                         {"start": 34, "end": 40, "label": "LOC"}]}
    (art,) = parse_jsonl(json.dumps(line, ensure_ascii=False), "x.jsonl")
    out = dumps_conll([art])
    assert out.startswith("-DOCSTART-\tO\n\nقال\tO\nدميترييف\tB-PERS\n:\tO\nروسيا\tB-LOC\n")
    assert "وقالت\tO\nواشنطن\tB-LOC\n" in out
    assert article_words(art)[1].text == "دميترييف"
