"""doccano JSONL exports: span triples, entity dicts, categories, sentence spans, writer."""
import json

import pytest

from araft.corpus.article import Entity, Sentence
from araft.corpus.doccano import parse_doccano, to_doccano, write_doccano
from araft.errors import DataError

TEXT = "أعلن كيريل دميترييف بدء محادثات في ميامي. وترفض أوكرانيا ذلك."


def _pos(word):
    start = TEXT.index(word)
    return start, start + len(word)


def _dump(*objs):
    return "\n".join(json.dumps(o, ensure_ascii=False) for o in objs) + "\n"


def test_label_triples_and_entity_dicts():
    s1, e1 = _pos("كيريل دميترييف")
    s2, e2 = _pos("ميامي")
    text = _dump({"id": 1, "text": TEXT, "label": [[s1, e1, "PER"], [s2, e2, "LOC"]], "meta": {"a": 1}},
                 {"text": TEXT, "entities": [{"id": 9, "start_offset": s2, "end_offset": e2, "label": "LOC"}],
                  "relations": [], "comment": "x"})
    a, b = parse_doccano(text, "exp/all.jsonl", label_map={"PER": "PERS"})
    assert a.id == "1" and a.entities == [Entity(s1, e1, "PERS"), Entity(s2, e2, "LOC")]
    assert a.sentences is None and a.meta == {"a": 1, "source": "all.jsonl"}
    assert b.id == "all-00001" and b.entities == [Entity(s2, e2, "LOC")] and b.meta["comment"] == "x"


def test_document_categories_become_one_whole_text_sentence():
    a, b, c = parse_doccano(_dump({"text": TEXT, "label": ["claim", "obstacle"]},
                                  {"text": TEXT, "cats": {"claim": True, "obstacle": False}},
                                  {"text": TEXT, "cats": []}), "c.jsonl")
    assert a.sentences == [Sentence(0, len(TEXT), ("claim", "obstacle"))]
    assert b.sentences == [Sentence(0, len(TEXT), ("claim",))]
    assert c.sentences == [Sentence(0, len(TEXT), ())]


def test_sentence_spans_when_sentence_labels_declared():
    cut = TEXT.index(".") + 1
    s1, e1 = _pos("أوكرانيا")
    line = {"text": TEXT, "label": [[0, cut, "claim"], [cut + 1, len(TEXT), "obstacle"],
                                    [cut + 1, len(TEXT), "claim"], [s1, e1, "LOC"]]}
    (a,) = parse_doccano(_dump(line), "c.jsonl", sentence_labels=["claim", "obstacle"])
    assert a.entities == [Entity(s1, e1, "LOC")]
    assert a.sentences == [Sentence(0, cut, ("claim",)), Sentence(cut + 1, len(TEXT), ("obstacle", "claim"))]
    with pytest.raises(DataError, match=r"c.jsonl:1, article 'c-00000': .*ambiguous"):
        parse_doccano(_dump({**line, "cats": ["claim"]}), "c.jsonl", sentence_labels=["claim", "obstacle"])


@pytest.mark.parametrize("label,reason", [
    ([[0, 500, "LOC"]], "outside the text"),
    ([[5, 2, "LOC"]], "reversed"),
    ([[0, 10, "LOC"], [5, 15, "PER"]], "overlaps"),
    ([[4, 5, "LOC"]], "only whitespace"),
    ([[0, 4]], "must be [start, end"),
    ([["0", 4, "LOC"]], "must be an integer"),
    ("LOC", "must be a list"),
])
def test_bad_spans_name_file_line_article(label, reason):
    text = _dump({"id": "ok", "text": TEXT}, {"id": "z", "text": TEXT, "label": label})
    with pytest.raises(DataError) as err:
        parse_doccano(text, "d.jsonl")
    assert str(err.value).startswith("d.jsonl:2, article 'z': ") and reason in str(err.value)


def test_invalid_json_and_unknown_label():
    with pytest.raises(DataError, match=r"d.jsonl:2: invalid JSON"):
        parse_doccano('{"text": "a"}\n{"text": \n', "d.jsonl")
    with pytest.raises(DataError, match=r"d.jsonl:1, article 'd-00000': unknown entity label 'GPE'"):
        parse_doccano(_dump({"text": TEXT, "label": [[0, 4, "GPE"]]}), "d.jsonl", entity_labels=["LOC"])


def test_writer_round_trip(tmp_path):
    s1, e1 = _pos("ميامي")
    line = {"id": "w", "text": TEXT, "label": [[s1, e1, "LOC"]], "cats": ["claim"], "src": "x"}
    arts = parse_doccano(_dump(line), None)
    assert to_doccano(arts[0]) == {"id": "w", "text": TEXT, "label": [[s1, e1, "LOC"]], "cats": ["claim"],
                                   "src": "x"}
    arts[0].sentences = [Sentence(0, 10, ("claim",)), Sentence(11, 20, ())]
    write_doccano(arts, tmp_path / "o.jsonl")
    assert parse_doccano((tmp_path / "o.jsonl").read_text(encoding="utf-8"), None) == arts
