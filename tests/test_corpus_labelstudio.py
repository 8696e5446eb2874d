"""Label Studio JSON exports: labels, per-region and document choices, UTF-16 offsets, writer."""
import json

import pytest

from araft.corpus.article import Entity, Sentence
from araft.corpus.labelstudio import parse_labelstudio, write_labelstudio
from araft.errors import DataError

TEXT = "قال زيلينسكي إن روسيا ترفض. هناك انعدام ثقة."


def _span(word):
    start = TEXT.index(word)
    return {"start": start, "end": start + len(word), "text": word}


def _task(result, **extra):
    return {"id": 3, "data": {"text": TEXT, "site": "x"}, "annotations": [{"result": result}], **extra}


def test_labels_and_region_choices():
    cut = TEXT.index(".") + 1
    result = [
        {"type": "labels", "value": {**_span("زيلينسكي"), "labels": ["PER"]}},
        {"type": "labels", "value": {**_span("روسيا"), "labels": ["LOC"]}},
        {"type": "choices", "value": {"start": 0, "end": cut, "choices": ["claim"]}},
        {"type": "choices", "value": {"start": 0, "end": cut, "choices": ["obstacle"]}},
        {"type": "choices", "value": {"start": cut + 1, "end": len(TEXT), "choices": ["obstacle"]}},
        {"type": "relation", "from_id": "a", "to_id": "b"},
    ]
    (a,) = parse_labelstudio(json.dumps([_task(result)], ensure_ascii=False), "ls/export.json",
                             label_map={"PER": "PERS"})
    assert a.id == "3" and a.meta == {"site": "x", "source": "export.json"}
    assert [(TEXT[e.start:e.end], e.label) for e in a.entities] == [("زيلينسكي", "PERS"), ("روسيا", "LOC")]
    assert a.sentences == [Sentence(0, cut, ("claim", "obstacle")), Sentence(cut + 1, len(TEXT), ("obstacle",))]


def test_document_choices_become_whole_text_sentence():
    (a,) = parse_labelstudio(json.dumps(_task([{"type": "choices", "value": {"choices": ["claim"]}}])), None)
    assert a.sentences == [Sentence(0, len(TEXT), ("claim",))]


def test_utf16_offsets_converted():
    text = "😀 زار ترامب موسكو"
    start16 = text.index("ترامب") + 1  # the emoji is two UTF-16 units
    task = {"data": {"text": text}, "annotations": [{"result": [
        {"type": "labels", "value": {"start": start16, "end": start16 + 5, "text": "ترامب", "labels": ["PERS"]}}]}]}
    (a,) = parse_labelstudio(json.dumps([task]), "e.json")
    assert a.id == "e-00000" and text[a.entities[0].start:a.entities[0].end] == "ترامب"


@pytest.mark.parametrize("task,reason", [
    (_task([{"type": "labels", "value": {"start": 0, "end": 999, "labels": ["PER"]}}]), "outside the text"),
    (_task([{"type": "labels", "value": {"start": 9, "end": 2, "labels": ["PER"]}}]), "reversed"),
    (_task([{"type": "labels", "value": {**_span("زيلينسكي"), "labels": ["PER", "LOC"]}}]), "nested"),
    (_task([{"type": "labels", "value": {"start": 0, "end": 3, "text": "xyz", "labels": ["PER"]}}]), "in the export"),
    (_task([{"type": "labels", "value": {"start": 0, "end": 3}}]), "value.labels must be a list"),
    (_task([], annotations=[{"result": [], "was_cancelled": True}]), "no annotation"),
    (_task([{"type": "choices", "value": {"choices": ["claim"]}},
            {"type": "choices", "value": {"start": 0, "end": 5, "choices": ["claim"]}}]), "ambiguous"),
])
def test_bad_tasks_name_file_and_article(task, reason):
    with pytest.raises(DataError) as err:
        parse_labelstudio(json.dumps([task]), "bad.json")
    assert str(err.value).startswith("bad.json, article '3': ") and reason in str(err.value)


def test_invalid_json_names_line_and_shape_errors():
    with pytest.raises(DataError, match=r"bad.json:3: invalid JSON"):
        parse_labelstudio('[\n{"data": {}},\n oops]', "bad.json")
    with pytest.raises(DataError, match=r"bad.json: a Label Studio export must be a list"):
        parse_labelstudio("5", "bad.json")
    with pytest.raises(DataError, match=r"task #0: expected an object with a 'data' object"):
        parse_labelstudio("[1]", "bad.json")


def test_writer_round_trip(tmp_path):
    (a,) = parse_labelstudio(json.dumps([_task([
        {"type": "labels", "value": {**_span("روسيا"), "labels": ["LOC"]}},
        {"type": "choices", "value": {"choices": ["claim"]}}])]), None)
    write_labelstudio([a], tmp_path / "o.json")
    assert parse_labelstudio((tmp_path / "o.json").read_text(encoding="utf-8"), None) == [a]
    a.sentences = [Sentence(0, 5, ("claim",)), Sentence(6, 9, ("obstacle",))]
    a.entities = [Entity(0, 3, "PERS")]
    write_labelstudio([a], tmp_path / "o.json")
    assert parse_labelstudio((tmp_path / "o.json").read_text(encoding="utf-8"), None) == [a]
