"""The report of a claims (sentence multi-label) run: per-label tables, 2x2 confusions and error
examples agree with metrics.json and with the predictions."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from araft.reporting import load_run
from araft.reporting.compare import compare_runs
from araft.reporting.confusion import claims_confusion, label_set_confusion
from araft.reporting.error_examples import claims_errors

from conftest import ROOT, compose_in

pytestmark = pytest.mark.filterwarnings("ignore")

CLAIMS_DEV = ROOT / "data" / "claims_obstacles" / "dev.jsonl"
DEV_SENTENCES = sum(len(json.loads(line)["sentences"])  # `araft data stats data/claims_obstacles/dev.jsonl`
                    for line in CLAIMS_DEV.read_text(encoding="utf-8").splitlines())


@pytest.fixture(scope="module")
def claims_run(tmp_path_factory) -> Path:
    """A short claims run (4 full-batch steps on the seed sentences) scored on the bundled corpus's
    dev articles, which it never saw: errors of both kinds are certain there, while a dev set equal
    to train can be fitted perfectly. The report is written by run_training itself."""
    from araft.run import run_training

    base = tmp_path_factory.mktemp("claims_report")
    run_training(compose_in(base, "experiment=seed_claims_overfit", "trainer.epochs=4",
                            "trainer.logging_steps=1", f"data.dev={CLAIMS_DEV}"), base / "run")
    return base / "run"


def test_two_by_two_tables_agree_with_the_saved_metrics(claims_run):
    run = load_run(claims_run)
    assert run.task == "claims" and run.labels == ["claim", "obstacle"]
    split = run.splits["dev"]
    saved = split.metrics["per_label"]
    table = claims_confusion(split.sentences, run.labels)
    assert len(split.sentences) == DEV_SENTENCES
    for name, c in table.items():
        assert c.tp + c.fp + c.fn + c.tn == DEV_SENTENCES
        assert c.tp + c.fn == saved[name]["support"]
        precision = c.tp / (c.tp + c.fp) if c.tp + c.fp else 0.0
        assert precision == pytest.approx(saved[name]["precision"], abs=1e-12)
        assert c.tp / (c.tp + c.fn) == pytest.approx(saved[name]["recall"], abs=1e-12)
    axis, matrix = label_set_confusion(split.sentences, run.labels)
    assert sum(map(sum, matrix)) == DEV_SENTENCES and axis[0] == "(none)"
    # recounted from predictions, the micro scores equal metrics.json (compare notes any mismatch)
    cmp = compare_runs([claims_run, claims_run], n_resamples=50)
    assert cmp.notes == [] and cmp.splits[0].deltas[1]["micro_f1"]["delta"] == 0.0


def test_error_examples_are_ranked_by_the_label_score(claims_run):
    run = load_run(claims_run)
    fps, fns = claims_errors(run.splits["dev"].sentences, run.labels, top=50)
    assert fps and fns
    fp_scores = [float(next(v for k, v in e.details if k.startswith("score"))) for e in fps]
    fn_scores = [float(next(v for k, v in e.details if k.startswith("score"))) for e in fns]
    assert fp_scores == sorted(fp_scores, reverse=True)  # most confident wrong "yes" first
    assert fn_scores == sorted(fn_scores)                # most confident wrong "no" first
    for ex in fps:
        label = ex.title.split(" · ")[1]
        assert label in dict(ex.details)["predicted labels"]
        assert label not in dict(ex.details)["gold labels"].split(", ")


def test_claims_report_files(claims_run):
    md = (claims_run / "report.md").read_text(encoding="utf-8")
    metrics = json.loads((claims_run / "metrics.json").read_text())["splits"]["dev"]
    for name, row in metrics["per_label"].items():
        assert f"| {name} | {row['precision']:.3f} | {row['recall']:.3f} |" in md
        assert f"{metrics['thresholds'][name]:.3f}" in md
    assert "per-label 2x2 confusion" in md and "exact match" in md
    for png in ("confusion_dev.png", "f1_per_label.png", "learning_curves.png", "label_distribution.png"):
        assert (claims_run / "plots" / png).is_file(), png
    html = (claims_run / "report.html").read_text(encoding="utf-8")
    assert html.count("data:image/png;base64,") == 4 and 'dir="rtl"' in html
