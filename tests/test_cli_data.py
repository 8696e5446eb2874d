"""`araft data validate | convert | stats` through the real dispatcher."""
import json
from pathlib import Path

import pytest

from araft.cli import main
from araft.cli.data import convert_file, stats_file, validate_file

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "data" / "anercorp" / "dev.conll"
AQMAR_DEV = ROOT / "data" / "aqmar" / "dev.conll"


def test_validate_ok(capsys):
    assert main(["data", "validate", str(AQMAR_DEV), "--label-map", "PER=PERS,MIS=MISC",
                 "--entity-labels", "PERS,LOC,ORG,MISC"]) == 0
    out = capsys.readouterr().out
    assert "ok (conll): 710 articles" in out and "MISC 660" in out


def test_validate_reports_file_line_and_exits_2(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "x"}\n{"id": "b", "text": "abc", "entities": '
                   '[{"start": 2, "end": 9, "label": "LOC"}]}\n', encoding="utf-8")
    assert main(["data", "validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"araft data: error: {bad}:2, article 'b': entity LOC [2, 9) is outside the text")


def test_validate_strict_and_declared_labels(tmp_path, capsys):
    path = tmp_path / "t.conll"
    path.write_text("a\tO\nb\tI-LOC\n", encoding="utf-8")
    assert main(["data", "validate", str(path), "--scheme", "iob2"]) == 0
    assert main(["data", "validate", str(path), "--strict", "--scheme", "iob2"]) == 2
    assert f"araft data: error: {path}:2: tag 'I-LOC' after 'O'" in capsys.readouterr().err
    assert main(["data", "validate", str(AQMAR_DEV), "--entity-labels", "PERS,LOC,ORG,MISC"]) == 2
    assert "unknown entity label 'MIS'" in capsys.readouterr().err


def test_convert_conll_to_jsonl_and_back(tmp_path, capsys):
    out = tmp_path / "dev.jsonl"
    assert main(["data", "convert", str(AQMAR_DEV), str(out), "--label-map", "PER=PERS,MIS=MISC"]) == 0
    assert "wrote 710 articles" in capsys.readouterr().out
    first = json.loads(out.read_text(encoding="utf-8").split("\n")[0])
    assert first["meta"]["tokenization"] == "whitespace"
    back = tmp_path / "back.txt"
    assert main(["data", "convert", str(out), str(back), "--to", "conll"]) == 0
    original = [ln.split("\t") for ln in AQMAR_DEV.read_text(encoding="utf-8").split("\n") if ln.strip()]
    again = [ln.split("\t") for ln in back.read_text(encoding="utf-8").split("\n") if ln.strip()]
    mapped = [[w, t.replace("PER", "PERS").replace("MIS", "MISC")] for w, t in original]
    assert again == mapped
    assert convert_file(out, tmp_path / "x.json")["articles"] == 710


def test_convert_bad_label_map(tmp_path, capsys):
    assert main(["data", "convert", str(DEV), str(tmp_path / "o.jsonl"), "--label-map", "PER"]) == 2
    assert "bad label map item 'PER'" in capsys.readouterr().err


def test_stats_text_and_json(capsys):
    assert main(["data", "stats", str(DEV)]) == 0
    text = capsys.readouterr().out
    assert "sentences" in text and "396" in text
    assert main(["data", "stats", str(DEV), "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["format"] == "conll" and stats["sentences"] == 396
    assert stats == stats_file(DEV)


def test_plain_functions_return_data():
    summary = validate_file(DEV)
    assert summary["articles"] == 396 and set(summary["entities"]) == {"PERS", "LOC", "ORG", "MISC"}


def test_missing_subcommand_is_usage_error():
    with pytest.raises(SystemExit):
        main(["data"])
