"""IOB2 helpers: scheme conversion, repairs, label maps, spans <-> word tags."""
import logging

import pytest

from araft.corpus.article import Entity
from araft.corpus.segment import Word, split_words
from araft.corpus.tags import (detect_scheme, normalize_tags, parse_label_map, repair_iob2,
                               spans_to_tags, split_tag, tags_to_spans)
from araft.errors import DataError


def test_iob2_passes_unchanged():
    tags = ["B-PERS", "I-PERS", "O", "B-LOC", "B-LOC", "I-LOC"]
    assert normalize_tags(tags) == tags
    assert detect_scheme(tags) == "iob2"


def test_repair_iob2_repairs_only_broken_starts():
    """An I-X that does not continue an X starts one (predictions, and the benchmarks' gold)."""
    assert repair_iob2(["I-LOC", "I-LOC", "O", "I-PERS", "B-ORG", "I-ORG", "I-LOC"]) == \
        ["B-LOC", "I-LOC", "O", "B-PERS", "B-ORG", "I-ORG", "B-LOC"]


def test_iob1_converted():
    tags = ["I-PER", "I-PER", "O", "I-LOC", "B-LOC", "O"]
    assert detect_scheme(tags) == "iob1"
    assert normalize_tags(tags) == ["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "O"]
    assert normalize_tags(tags, scheme="iob1") == ["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "O"]


@pytest.mark.parametrize("tags", [["S-LOC", "B-PER", "E-PER", "O", "B-ORG", "I-ORG", "E-ORG"],
                                  ["U-LOC", "B-PER", "L-PER", "O", "B-ORG", "I-ORG", "L-ORG"]])
def test_bioes_and_bilou_converted(tags):
    assert detect_scheme(tags) == "bioes"
    assert normalize_tags(tags) == ["B-LOC", "B-PER", "I-PER", "O", "B-ORG", "I-ORG", "I-ORG"]


def test_i_after_o_repaired_with_warning_naming_file_and_line(caplog):
    where = [("c.conll", n) for n in (10, 11, 12)]
    with caplog.at_level(logging.WARNING):
        out = normalize_tags(["B-PERS", "O", "I-LOC"], scheme="iob2", where=where)
    assert out == ["B-PERS", "O", "B-LOC"]
    assert "c.conll:12" in caplog.text and "I-LOC" in caplog.text


def test_i_after_other_type_is_error_under_strict():
    with pytest.raises(DataError) as err:
        normalize_tags(["B-PERS", "I-LOC"], scheme="iob2", strict=True,
                       where=[("c.conll", 4), ("c.conll", 5)])
    assert str(err.value).startswith("c.conll:5: ")
    assert err.value.line == 5


def test_malformed_tag_names_line():
    with pytest.raises(DataError, match=r"x.conll:7: malformed tag 'IO'"):
        normalize_tags(["O", "IO"], where=[("x.conll", 6), ("x.conll", 7)])
    with pytest.raises(DataError):
        split_tag("B-")


def test_label_map():
    assert parse_label_map("PER=PERS, MIS=MISC") == {"PER": "PERS", "MIS": "MISC"}
    assert normalize_tags(["B-PER", "I-PER", "B-MIS"], label_map={"PER": "PERS", "MIS": "MISC"}) == \
        ["B-PERS", "I-PERS", "B-MISC"]
    with pytest.raises(DataError, match="OLD=NEW"):
        parse_label_map("PER")


def test_spans_to_tags_overlap_rule_and_clitics():
    # «لدميترييف» with the clitic cut off is still B-PERS on the word (ANNOTATION.md)
    text = "قال لدميترييف إن الولايات المتحدة، ترفض."
    words = split_words(text)
    ents = [Entity(text.index("دميترييف"), text.index("دميترييف") + len("دميترييف"), "PERS"),
            Entity(text.index("الولايات"), text.index("المتحدة") + len("المتحدة"), "LOC")]
    tags = spans_to_tags(words, ents)
    assert [w.text for w in words] == ["قال", "لدميترييف", "إن", "الولايات", "المتحدة", "،", "ترفض", "."]
    assert tags == ["O", "B-PERS", "O", "B-LOC", "I-LOC", "O", "O", "O"]
    spans = tags_to_spans(words, tags)
    assert spans[0] == Entity(words[1].start, words[1].end, "PERS")  # the word, clitic included
    assert spans[1] == ents[1]


def test_adjacent_entities_and_lenient_tags_to_spans():
    words = [Word(0, 1, "a"), Word(2, 3, "b"), Word(4, 5, "c")]
    ents = [Entity(0, 1, "LOC"), Entity(2, 5, "LOC")]
    assert spans_to_tags(words, ents) == ["B-LOC", "B-LOC", "I-LOC"]
    assert tags_to_spans(words, ["B-LOC", "B-LOC", "I-LOC"]) == ents
    # an I- that does not continue starts a new span
    assert tags_to_spans(words, ["O", "I-ORG", "I-LOC"]) == [Entity(2, 3, "ORG"), Entity(4, 5, "LOC")]
    with pytest.raises(DataError):
        tags_to_spans(words, ["O"])
