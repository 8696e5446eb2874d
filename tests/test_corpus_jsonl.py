"""Article JSONL: reading with validation (file, line, article in every error), writing."""
import json
from pathlib import Path

import pytest

from araft.corpus.article import Article, Entity, Sentence
from araft.corpus.jsonl import parse_jsonl, read_jsonl, write_jsonl
from araft.errors import DataError

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_2a0c97e50c8b63d1.txt"


def _line(**obj) -> str:
    base = {"id": "a1", "text": "زار زيلينسكي موسكو أمس."}
    base.update(obj)
    return json.dumps(base, ensure_ascii=False)


def _fails(text: str, path: str = "c.jsonl", **opts) -> DataError:
    with pytest.raises(DataError) as err:
        parse_jsonl(text, path, **opts)
    return err.value


def test_seed_article_round_trips(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    name = "كيريل دميترييف"
    start = text.index(name)
    art = Article("seed", text, [Entity(start, start + len(name), "PERS")], None, {"source": "seed"})
    write_jsonl([art], tmp_path / "s.jsonl")
    raw = (tmp_path / "s.jsonl").read_text(encoding="utf-8")
    assert name in raw  # Arabic written as is, not \u escapes
    assert read_jsonl(tmp_path / "s.jsonl") == [art]


def test_blank_lines_skipped_and_line_numbers_kept():
    text = "\n" + _line(id="x") + "\n\n  \n" + "{broken\n"
    err = _fails(text)
    assert str(err).startswith("c.jsonl:5: invalid JSON")


def test_duplicate_ids_name_both_lines():
    err = _fails(_line(id="x") + "\n" + _line(id="x") + "\n")
    assert err.line == 2 and err.article_id == "x" and "first on line 1" in err.reason


@pytest.mark.parametrize("entities,reason", [
    ([{"start": 4, "end": 99, "label": "PERS"}], "outside the text"),
    ([{"start": -1, "end": 3, "label": "PERS"}], "outside the text"),
    ([{"start": 12, "end": 4, "label": "PERS"}], "reversed"),
    ([{"start": 4, "end": 12, "label": "PERS"}, {"start": 10, "end": 18, "label": "LOC"}], "overlaps"),
    ([{"start": 4, "end": 18, "label": "PERS"}, {"start": 13, "end": 18, "label": "LOC"}], "nested"),
    ([{"start": 3, "end": 4, "label": "PERS"}], "only whitespace"),
    ([{"start": "4", "end": 12, "label": "PERS"}], "must be an integer"),
])
def test_bad_entities_name_file_line_and_article(entities, reason):
    err = _fails(_line(id="ok") + "\n" + _line(id="bad", entities=entities) + "\n")
    assert str(err).startswith("c.jsonl:2, article 'bad': ")
    assert reason in str(err)


@pytest.mark.parametrize("sentences,reason", [
    ([{"start": 0, "end": 10}, {"start": 5, "end": 20}], "overlaps sentence"),
    ([{"start": 0, "end": 100}], "outside the text"),
    ([{"start": 5, "end": 5}], "empty or reversed"),
])
def test_bad_sentences_name_file_line_and_article(sentences, reason):
    err = _fails(_line(sentences=sentences))
    assert str(err).startswith("c.jsonl:1, article 'a1': ") and reason in str(err)


def test_unknown_labels_when_declared():
    ents = [{"start": 4, "end": 12, "label": "PER"}]
    err = _fails(_line(entities=ents), entity_labels=["PERS", "LOC"])
    assert str(err).startswith("c.jsonl:1, article 'a1': unknown entity label 'PER'")
    # the label map runs before the check
    (art,) = parse_jsonl(_line(entities=ents), "c.jsonl", entity_labels=["PERS"], label_map={"PER": "PERS"})
    assert art.entities == [Entity(4, 12, "PERS")]
    err = _fails(_line(sentences=[{"start": 0, "end": 5, "labels": ["opinion"]}]),
                 sentence_labels=["claim", "obstacle"])
    assert "c.jsonl:1, article 'a1': unknown sentence label" in str(err)


@pytest.mark.parametrize("line", ["[1, 2]", '{"text": "x"}', '{"id": "a", "text": 5}',
                                  '{"id": "a", "text": "x", "entities": 5}',
                                  '{"id": "a", "text": "xy", "entities": [{"start": 0, "end": 1, "label": "L", "score": "hi"}]}',
                                  '{"id": "a", "text": "x", "sentences": [{"start": 0, "end": 1, "scores": 3}]}'])
def test_malformed_shapes_are_data_errors_with_line(line):
    err = _fails("\n" + line)
    assert err.path == "c.jsonl" and err.line == 2


def test_valid_article_fields_survive():
    obj = {"id": 7, "text": "ثم قال.", "entities": [], "sentences": [{"start": 0, "end": 7, "labels": ["claim"]}],
           "meta": {"k": 1}}
    (art,) = parse_jsonl(json.dumps(obj, ensure_ascii=False), None)
    assert art.id == "7" and art.sentences == [Sentence(0, 7, ("claim",))] and art.meta == {"k": 1}
