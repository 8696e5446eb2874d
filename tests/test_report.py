"""Run reports: what report.md / report.html say is recomputed from the run directory and agrees
with metrics.json; confusion tables add up; error examples are the worst ones; CLI and hooks."""
from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from araft.cli import main
from araft.metrics.bootstrap import entity_counts, scores_from_counts
from araft.reporting import load_run
from araft.reporting.confusion import CATEGORIES, CORRECT, MISSED, NONE, SPURIOUS, ner_confusion
from araft.reporting.curves import learning_curves
from araft.reporting.error_examples import ner_errors
from araft.reporting.plots import ascii_names

from conftest import SEED_JSONL, compose_in

pytestmark = pytest.mark.filterwarnings("ignore")

# Under-trained on purpose (20 steps; micro F1 about 0.67), so the report has real errors of every kind to show;
# evaluated during training, so it has dev learning curves.
WEAK = ("experiment=seed_overfit", "trainer.epochs=4", "trainer.lr=1e-3", "seed=7",
        "trainer.save_strategy=no", "trainer.logging_steps=2")


def weak_ner_run(tmp_path_factory) -> Path:
    """The weak run, trained once per test session (test_compare and the browser test share it)."""
    base = tmp_path_factory.getbasetemp() / "weak_ner"
    run = base / "run"
    if not (run / "metrics.json").is_file():
        from araft.run import run_training

        base.mkdir(exist_ok=True)
        run_training(compose_in(base, *WEAK), run)
    return run


@pytest.fixture(scope="module")
def weak(tmp_path_factory) -> Path:
    return weak_ner_run(tmp_path_factory)


def copy_run(run: Path, dest: Path) -> Path:
    """A run directory without its model (reports and compare never need the weights)."""
    shutil.copytree(run, dest, ignore=shutil.ignore_patterns("model", "checkpoints", "tb"))
    return dest


def test_every_training_run_writes_its_report(seed_ner_run):
    run, metrics = seed_ner_run
    for name in ("report.md", "report.html", "plots/learning_curves.png", "plots/f1_per_type.png",
                 "plots/confusion_dev.png", "plots/label_distribution.png"):
        assert (run / name).is_file(), name
    md = (run / "report.md").read_text(encoding="utf-8")
    dev = metrics["splits"]["dev"]
    lo, hi = dev["ci"]["micro_f1"]
    assert f"{dev['micro_f1']:.3f} [{lo:.3f}, {hi:.3f}]" in md
    info = json.loads((run / "run.json").read_text())
    assert "arabertv02" in md and info["git"]["commit"][:12] in md


def test_sentences_rebuilt_from_predictions_give_the_saved_metrics(weak):
    run = load_run(weak)
    split = run.splits["dev"]
    saved = json.loads((weak / "metrics.json").read_text())["splits"]["dev"]
    assert len(split.sentences) == saved["n_sentences"] == 34
    assert sum(len(s.words) for s in split.sentences) == saved["n_words"]
    counts = entity_counts([s.gold_tags for s in split.sentences],
                           [s.pred_tags for s in split.sentences])
    scores = scores_from_counts(counts)
    assert scores["micro_f1"] == pytest.approx(saved["micro_f1"], abs=1e-12)
    for t, row in saved["per_type"].items():
        assert scores["per_type"][t]["f1"] == pytest.approx(row["f1"], abs=1e-12), t
        assert scores["per_type"][t]["support"] == row["support"]
    # the predicted spans carry the model's scores
    assert all(0.0 < p.score <= 1.0 for s in split.sentences for p in s.pred)


def test_confusion_tables_add_up(weak):
    run = load_run(weak)
    sents = run.splits["dev"].sentences
    conf = ner_confusion(sents, run.labels)
    counts = scores_from_counts(entity_counts([s.gold_tags for s in sents], [s.pred_tags for s in sents]))
    n_gold = sum(len(s.gold) for s in sents)
    n_pred = sum(len(s.pred) for s in sents)
    tp = sum(round(r["recall"] * r["support"]) for r in counts["per_type"].values())
    assert conf.total(CORRECT) == tp
    # every gold entity in exactly one gold-side category
    assert sum(conf.total(c) for c in CATEGORIES if c != SPURIOUS) == n_gold
    axis, matrix = conf.exact_rows()
    assert sum(sum(row) for row in matrix[:-1]) == n_gold  # gold rows
    assert sum(row[k] for row in matrix for k in range(len(axis) - 1)) == n_pred  # pred columns
    assert matrix[-1][-1] == 0  # (none, none) is not a thing
    assert sum(matrix[k][k] for k in range(len(axis) - 1)) == tp
    # a weak model makes several kinds of mistakes: the table is not trivially empty
    assert conf.total(MISSED) + conf.total(SPURIOUS) + conf.total("wrong span") > 0
    assert NONE in axis


def test_error_examples_are_the_worst_and_highlight_the_error(weak):
    run = load_run(weak)
    fps, fns = ner_errors(run.splits["dev"].sentences, top=5)
    assert fps or fns
    scores = [float(dict(e.details)["score"]) for e in fps]
    assert scores == sorted(scores, reverse=True)
    for ex in fps + fns:
        focus = [m for m in ex.marks if m.focus]
        assert len(focus) == 1
        shown = dict(ex.details).get("predicted") or dict(ex.details)["gold"]
        assert shown.startswith(ex.sentence[focus[0].start:focus[0].end])
        assert focus[0].kind == ("pred" if ex.title.startswith("false positive") else "gold")
    missed = [ex.title.endswith(MISSED) for ex in fns]
    assert missed == sorted(missed, reverse=True)  # nothing-predicted misses come first


def test_learning_curves_follow_the_trainer_log(weak):
    history = json.loads((weak / "metrics.json").read_text())["log_history"]
    curves = learning_curves(history)
    assert [s for s, _ in curves.train_loss] == [h["step"] for h in history if "loss" in h]
    assert [s for s, _ in curves.evals["eval_f1"]] == [5, 10, 15, 20]  # once per epoch
    md = (weak / "report.md").read_text(encoding="utf-8")
    assert "| step | epoch | train loss | f1 |" in md


def test_report_command_regenerates_without_the_model(weak, tmp_path, capsys):
    copy = copy_run(weak, tmp_path / "copy")
    for name in ("report.md", "report.html"):
        (copy / name).unlink()
    shutil.rmtree(copy / "plots")
    assert main(["report", str(copy)]) == 0
    assert str(copy / "report.html") in capsys.readouterr().out
    regenerated = (copy / "report.md").read_text(encoding="utf-8")
    original = (weak / "report.md").read_text(encoding="utf-8")
    assert regenerated == original.replace(str(weak), str(copy))
    assert sorted(p.name for p in (copy / "plots").iterdir()) == sorted(
        p.name for p in (weak / "plots").iterdir())


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.root: dict = {}
        self.imgs: list[str] = []
        self.links: list[str] = []
        self.rtl_depth = 0
        self.arabic_outside_rtl: list[str] = []
        self.stack: list[bool] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.root = a
        if tag == "img":
            self.imgs.append(a.get("src", ""))
        self.links += [v for k, v in attrs if k in ("href", "src") and v and not v.startswith(("#", "data:"))]
        if tag not in ("img", "meta", "br", "hr", "link", "input"):
            rtl = a.get("dir") == "rtl" or tag == "bdi"
            self.stack.append(rtl)
            self.rtl_depth += rtl

    def handle_endtag(self, tag):
        if tag not in ("img", "meta", "br", "hr", "link", "input") and self.stack:
            self.rtl_depth -= self.stack.pop()

    def handle_data(self, data):
        if re.search("[\u0600-\u06ff]", data) and not self.rtl_depth:
            self.arabic_outside_rtl.append(data)


def test_html_is_self_contained_and_marks_arabic_rtl(weak):
    page = _Page()
    page.feed((weak / "report.html").read_text(encoding="utf-8"))
    assert page.root == {"lang": "ar", "dir": "ltr"}
    assert len(page.imgs) == 4 and all(s.startswith("data:image/png;base64,") for s in page.imgs)
    assert page.links == []  # nothing to fetch
    assert page.arabic_outside_rtl == []
    html = (weak / "report.html").read_text(encoding="utf-8")
    assert '<mark class="' in html and "<script" not in html


def test_evaluate_out_writes_a_report(weak, tmp_path):
    out = tmp_path / "eval"
    assert main(["evaluate", str(weak), "--data", str(SEED_JSONL), "--out", str(out),
                 "--bootstrap", "100"]) == 0
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "no run.json here" in md and "arabertv02" in md  # mode read from the saved model
    assert (out / "report.html").is_file() and (out / "plots" / "confusion_eval.png").is_file()


def test_plots_never_draw_arabic():
    assert ascii_names(["LOC", "ادعاء", "claim"]) == (["LOC", "#2", "claim"], {"#2": "ادعاء"})


def test_not_a_run_directory_is_a_clear_error(tmp_path, capsys):
    assert main(["report", str(tmp_path)]) == 2
    assert "not a run directory (no metrics.json)" in capsys.readouterr().err
