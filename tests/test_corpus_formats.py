"""Format detection, reading any format, file-level errors (encoding, empty), writing."""
import json
from pathlib import Path

import pytest

from araft.corpus.formats import detect_format, read_articles, sniff_format, write_articles
from araft.errors import DataError

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
BUNDLED = ROOT / "data"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_detect_by_extension_and_content(tmp_path):
    assert detect_format(BUNDLED / "anercorp" / "dev.conll") == "conll"
    assert detect_format(_write(tmp_path / "a.jsonl", '{"id": "a", "text": "x"}\n')) == "jsonl"
    assert detect_format(_write(tmp_path / "b.txt", "كلمة\tO\nأخرى\tB-LOC\n")) == "conll"
    assert detect_format(_write(tmp_path / "c.txt", "-DOCSTART- -X- O\n\nEU B-ORG\n")) == "conll"
    assert detect_format(_write(tmp_path / "d.json", '[{"data": {"text": "x"}}]')) == "labelstudio"
    assert detect_format(_write(tmp_path / "e.json", '{"text": "x", "label": [[0, 1, "L"]]}\n')) == "doccano"
    assert detect_format(_write(tmp_path / "f.tsv", "tweet_id\ttweet_url\ttweet_text\tclass_label\n")) == "checkthat"
    assert detect_format(_write(tmp_path / "g.tsv", "sentence_id\tsentence\tlabel\n")) == "subjectivity"
    assert sniff_format('{"text": "x", "entities": [{"start_offset": 0, "end_offset": 1, "label": "L"}]}') == "doccano"
    with pytest.raises(DataError, match=r"h.txt: cannot tell the file's format"):
        detect_format(_write(tmp_path / "h.txt", "مجرد نص عادي بلا وسوم.\n"))


def test_aqmar_txt_detected_by_content_and_mapped():
    path = SHARED / "aqmar" / "train.txt"
    if not path.exists():
        pytest.skip("../shared/data is not here")
    assert detect_format(path) == "conll"
    arts = read_articles(path, label_map={"PER": "PERS", "MIS": "MISC"}, entity_labels=["PERS", "LOC", "ORG", "MISC"])
    assert len(arts) == 1328 and sum(len(a.entities) for a in arts) == 753 + 971 + 235 + 1129


def test_bundled_aqmar_reads_with_label_map():
    arts = read_articles(BUNDLED / "aqmar" / "dev.conll", label_map={"PER": "PERS", "MIS": "MISC"})
    assert len(arts) == 710
    assert {e.label for a in arts for e in a.entities} == {"PERS", "LOC", "ORG", "MISC"}


def test_non_utf8_names_file_line_and_byte_offset(tmp_path):
    path = tmp_path / "latin.conll"
    path.write_bytes("a\tO\n".encode() + "caf\xe9\tO\n".encode("latin-1"))
    with pytest.raises(DataError) as err:
        read_articles(path)
    assert str(err.value).startswith(f"{path}:2: not valid UTF-8") and "byte offset 7" in str(err.value)


@pytest.mark.parametrize("content", [b"", b"\n \n\t\n", b"\xef\xbb\xbf"])
def test_empty_file(tmp_path, content):
    path = tmp_path / "empty.jsonl"
    path.write_bytes(content)
    with pytest.raises(DataError, match=r"empty.jsonl: empty file"):
        read_articles(path)


def test_bom_is_dropped_and_missing_file_is_data_error(tmp_path):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + b'{"id": "a", "text": "x"}\n')
    assert read_articles(path)[0].id == "a"
    with pytest.raises(DataError, match="cannot read file"):
        read_articles(tmp_path / "missing.jsonl")
    with pytest.raises(DataError, match="unknown format 'xml'"):
        read_articles(path, format="xml")


def test_write_by_extension_and_convert_between_formats(tmp_path):
    arts = read_articles(BUNDLED / "anercorp" / "dev.conll")[:20]
    write_articles(arts, tmp_path / "out/a.jsonl")
    assert read_articles(tmp_path / "out/a.jsonl") == arts
    # CoNLL keeps text, entities and sentences; ids and source come from the new file name
    write_articles(arts, tmp_path / "out/a.conll")
    back = read_articles(tmp_path / "out/a.conll")
    assert [(a.text, a.entities, a.sentences) for a in back] == [(a.text, a.entities, a.sentences) for a in arts]
    assert back[3].id == "a-00003" and back[3].meta["source"] == "a.conll"
    # Label Studio keeps text, entities and meta; sentences without labels are not written
    write_articles(arts, tmp_path / "out/a.json")
    back = read_articles(tmp_path / "out/a.json")
    assert [(a.id, a.text, a.entities, a.meta) for a in back] == [(a.id, a.text, a.entities, a.meta) for a in arts]
    write_articles(arts, tmp_path / "d.jsonl", format="doccano")
    assert detect_format(tmp_path / "d.jsonl") == "jsonl"  # extension wins; content sniffing is for .txt/.json
    assert [a.entities for a in read_articles(tmp_path / "d.jsonl", format="doccano")] == [a.entities for a in arts]
    with pytest.raises(DataError, match="does not write"):
        write_articles(arts, tmp_path / "x.tsv", format="checkthat")
    with pytest.raises(DataError, match="cannot tell which format to write"):
        write_articles(arts, tmp_path / "x.xml")


def test_duplicate_ids_across_a_file(tmp_path):
    path = _write(tmp_path / "t.json", json.dumps([{"id": 1, "data": {"text": "x"}, "annotations": [{"result": []}]},
                                                   {"id": 1, "data": {"text": "y"}, "annotations": [{"result": []}]}]))
    with pytest.raises(DataError, match=r"t.json, article '1': task #1: duplicate article id"):
        read_articles(path)


def test_option_for_another_format_is_data_error(tmp_path):
    path = _write(tmp_path / "a.jsonl", '{"id": "a", "text": "x"}\n')
    with pytest.raises(DataError, match="option 'scheme' does not apply to the jsonl format"):
        read_articles(path, scheme="iob1")
    assert read_articles(path, scheme=None, strict=True)[0].id == "a"


def test_seed_gold_through_every_writer(tmp_path):
    seed = ROOT / "seeds" / "seed.jsonl"
    if not seed.exists():
        pytest.skip("seed gold not built yet")
    (art,) = read_articles(seed, entity_labels=["PERS", "LOC", "ORG", "MISC"],
                           sentence_labels=["claim", "obstacle"])
    assert art.entities and art.sentences
    for fmt, name in (("jsonl", "s.jsonl"), ("doccano", "d.jsonl"), ("labelstudio", "l.json")):
        write_articles([art], tmp_path / name, format=fmt)
        (back,) = read_articles(tmp_path / name, format=fmt)
        assert (back.text, back.entities) == (art.text, art.entities)
        labelled = [s for s in art.sentences if s.labels]
        assert [s for s in back.sentences if s.labels] == labelled
    write_articles([art], tmp_path / "s.conll")
    conll = (tmp_path / "s.conll").read_text(encoding="utf-8")
    assert "دميترييف\tI-PERS" in conll and conll.count("-DOCSTART-") == 1
