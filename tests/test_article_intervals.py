"""Run reports give a second 95% interval over whole articles (a cluster bootstrap) next to the
sentence one, wherever the evaluated data has articles of several sentences: labels cluster by
article, so the sentence interval alone is too narrow. A CoNLL file without -DOCSTART- (one
article per sentence) gets no article interval. The models are the embedded encoder with untrained
heads: what is checked is which rows are grouped, not how good the model is."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from araft.cli import main
from araft.metrics import article_groups, multilabel_report, ner_report
from araft.metrics.bootstrap import (FEW_ARTICLES, bootstrap_ci, group_counts, multilabel_counts,
                                     scores_from_counts)
from araft.reporting import load_run, write_report
from conftest import ROOT
from test_evaluate_gold import ENCODER, _save, untrained

pytestmark = pytest.mark.filterwarnings("ignore")

CLAIMS_DEV = ROOT / "data" / "claims_obstacles" / "dev.jsonl"
ANERCORP_DEV = ROOT / "data" / "anercorp" / "dev.conll"
ARTICLE_CI = "95% CI (articles)"
N_ARTICLES = 12     # claims dev articles scored: at least FEW_ARTICLES, and quick
BOOT = 50           # resamples: enough to check the grouping, which is all that is asserted


def clustered(n_articles: int = 20, per: int = 20) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Every obstacle sits in article a0 (all its sentences; two missed), a few false positives
    elsewhere: resampling sentences sees many independent positives, resampling articles sees one
    article that is drawn or not."""
    groups = [f"a{k}" for k in range(n_articles) for _ in range(per)]
    ref = np.zeros((n_articles * per, 1), dtype=int)
    ref[:per] = 1
    pred = ref.copy()
    pred[per - 2:per] = 0
    pred[per + 5::37] = 1
    return ref, pred, groups


def width(ci) -> float:
    return ci[1] - ci[0]


# -- the metrics reports ------------------------------------------------------------------------

def test_positives_in_one_article_give_a_wider_article_interval():
    ref, pred, groups = clustered()
    report = multilabel_report(ref, pred, None, ["obstacle"], n_resamples=1000, groups=groups)
    json.dumps(report, allow_nan=False)  # plain JSON types only
    point = report["micro_f1"]
    assert report["ci_article"]["micro_f1"][0] <= point <= report["ci_article"]["micro_f1"][1]
    assert width(report["ci_article"]["micro_f1"]) > 2 * width(report["ci"]["micro_f1"])
    row = report["per_label"]["obstacle"]
    assert width(row["f1_ci_article"]) > 2 * width(row["f1_ci"])
    assert report["ci_article"]["micro_f1"][0] == 0.0  # resamples without a0 find nothing
    # exactly the shared bootstrap over the summed article counts, with the same settings
    direct = bootstrap_ci(group_counts(multilabel_counts(ref, pred, ["obstacle"]), groups), 1000)
    assert report["ci_article"] == {m: list(direct[m]) for m in report["ci_article"]}
    assert report["bootstrap"]["n_articles"] == 20 and report["bootstrap"]["n_sentences"] == 400
    assert "whole articles" in report["bootstrap"]["article_method"]
    assert "article_note" not in report["bootstrap"]


def test_without_groups_the_report_is_exactly_as_before():
    ref, pred, groups = clustered()
    plain = multilabel_report(ref, pred, None, ["obstacle"], n_resamples=200)
    grouped = multilabel_report(ref, pred, None, ["obstacle"], n_resamples=200, groups=groups)
    assert "ci_article" not in plain and "f1_ci_article" not in plain["per_label"]["obstacle"]
    assert set(plain["bootstrap"]) == {"method", "n_resamples", "seed", "confidence", "n_sentences"}
    assert set(grouped) - set(plain) == {"ci_article"}
    # the sentence interval and every other number are untouched by the article one
    grouped.pop("ci_article")
    for key in ("article_method", "n_articles"):
        grouped["bootstrap"].pop(key)
    grouped["per_label"]["obstacle"].pop("f1_ci_article")
    assert grouped == plain


def test_ner_report_groups_sentences_by_article():
    gold = [["B-PERS", "I-PERS", "O"], ["O", "B-LOC"], ["B-ORG", "O"], ["O", "O"]] * 5
    pred = [["B-PERS", "I-PERS", "O"], ["O", "O"], ["B-ORG", "O"], ["O", "B-LOC"]] * 5
    report = ner_report(gold, pred, n_resamples=100, groups=[k // 4 for k in range(20)])
    assert set(report["ci_article"]) == set(report["ci"])
    assert set(report["per_type"]) == {"LOC", "ORG", "PERS"}
    assert all(len(row["f1_ci_article"]) == 2 for row in report["per_type"].values())
    # five articles: still computed, with the warning
    assert report["bootstrap"]["n_articles"] == 5 < FEW_ARTICLES
    assert "only 5 article(s), too few for an article bootstrap" in report["bootstrap"]["article_note"]


def test_one_article_gives_an_interval_of_no_width():
    ref, pred, _ = clustered(n_articles=1)
    report = multilabel_report(ref, pred, None, ["obstacle"], n_resamples=100, groups=["x"] * 20)
    low, high = report["ci_article"]["micro_f1"]
    assert low == high == report["micro_f1"]
    assert "only 1 article(s)" in report["bootstrap"]["article_note"]


def test_article_groups_only_where_an_article_holds_several_sentences():
    assert article_groups([0, 0, 1, 2, 2]) == [0, 0, 1, 2, 2]
    assert article_groups(k for k in (3, 3)) == [3, 3]  # any iterable
    assert article_groups([0, 1, 2, 3]) is None  # CoNLL without -DOCSTART-: one per sentence
    assert article_groups([]) is None


# -- evaluations on real data and their reports -------------------------------------------------

@pytest.fixture(scope="module")
def models(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("article_models")
    return {task: _save(base / task, task) for task in ("claims", "ner")}


@pytest.fixture(scope="module")
def claims_dev(tmp_path_factory) -> Path:
    """The first claims dev articles: several sentences each, obstacles clustered in a few."""
    path = tmp_path_factory.mktemp("claims_dev") / "dev12.jsonl"
    lines = CLAIMS_DEV.read_text(encoding="utf-8").splitlines()[:N_ARTICLES]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def conll_slice(path: Path, n: int, docs: int = 0) -> Path:
    """The first n ANERcorp dev sentences, optionally cut into `docs` -DOCSTART- documents."""
    sentences = ANERCORP_DEV.read_text(encoding="utf-8").strip().split("\n\n")[:n]
    blocks = []
    for k, sent in enumerate(sentences):
        if docs and k % (n // docs) == 0:
            blocks.append("-DOCSTART-\tO")
        blocks.append(sent)
    path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    return path


def test_claims_evaluation_reports_the_article_interval(models, claims_dev, tmp_path, capsys):
    out = tmp_path / "eval"
    assert main(["evaluate", str(models["claims"]), "--data", str(claims_dev),
                 "--bootstrap", str(BOOT), "--out", str(out)]) == 0
    m = json.loads((out / "metrics.json").read_text(encoding="utf-8"))["splits"]["eval"]
    lo, hi = m["ci_article"]["micro_f1"]
    assert f"(articles [{lo:.3f}, {hi:.3f}])" in capsys.readouterr().out  # the console line too
    assert m["n_articles"] == m["bootstrap"]["n_articles"] == N_ARTICLES
    assert "article_note" not in m["bootstrap"]
    assert set(m["ci_article"]) == set(m["ci"])
    assert all("f1_ci_article" in row for row in m["per_label"].values())
    # the groups are the articles: the interval is the article bootstrap of the saved predictions
    run = load_run(out)
    split = run.splits["eval"]
    counts = run.layer.counts(split.sentences, run.labels)
    by_article = group_counts(counts, [s.article_id for s in split.sentences])
    assert by_article.n_sentences == N_ARTICLES
    assert scores_from_counts(by_article)["micro_f1"] == pytest.approx(m["micro_f1"])
    assert m["ci_article"]["micro_f1"] == list(bootstrap_ci(by_article, BOOT)["micro_f1"])

    md = (out / "report.md").read_text(encoding="utf-8")
    html = (out / "report.html").read_text(encoding="utf-8")
    header = next(line for line in md.splitlines() if line.startswith("| split | sentences"))
    assert header.count(ARTICLE_CI) == 2  # beside micro F1 and beside macro F1
    assert f"eval: {N_ARTICLES} articles" in md and "whole articles resampled" in md
    assert "| label | precision | recall | F1 [95% CI] | 95% CI (articles) | support |" in md
    assert f"[{lo:.3f}, {hi:.3f}]" in md
    assert f"<th>{ARTICLE_CI}</th>" in html

    # an old metrics.json (written before article intervals) still renders, without the column
    path = out / "metrics.json"
    saved = json.loads(path.read_text(encoding="utf-8"))
    old = saved["splits"]["eval"]
    old.pop("ci_article")
    for key in ("n_articles", "article_method"):
        old["bootstrap"].pop(key)
    for row in old["per_label"].values():
        row.pop("f1_ci_article")
    path.write_text(json.dumps(saved), encoding="utf-8")
    write_report(out)
    assert ARTICLE_CI not in (out / "report.md").read_text(encoding="utf-8")


def test_conll_ner_evaluation_has_no_article_column(models, tmp_path, capsys):
    out = tmp_path / "eval"
    data = conll_slice(tmp_path / "dev30.conll", 30)
    assert main(["evaluate", str(models["ner"]), "--data", str(data),
                 "--bootstrap", str(BOOT), "--out", str(out)]) == 0
    assert "articles [" not in capsys.readouterr().out
    m = json.loads((out / "metrics.json").read_text(encoding="utf-8"))["splits"]["eval"]
    assert "ci" in m and "ci_article" not in m and "n_articles" not in m["bootstrap"]
    assert not any("f1_ci_article" in row for row in m["per_type"].values())
    for name in ("report.md", "report.html"):
        text = (out / name).read_text(encoding="utf-8")
        assert "(articles)" not in text and "whole articles" not in text


def test_conll_with_documents_gets_the_article_interval_and_the_few_articles_note(models, tmp_path):
    out = tmp_path / "eval"
    data = conll_slice(tmp_path / "dev30_docs.conll", 30, docs=3)
    assert main(["evaluate", str(models["ner"]), "--data", str(data),
                 "--bootstrap", str(BOOT), "--out", str(out)]) == 0
    m = json.loads((out / "metrics.json").read_text(encoding="utf-8"))["splits"]["eval"]
    assert m["bootstrap"]["n_articles"] == 3 and "ci_article" in m
    md = (out / "report.md").read_text(encoding="utf-8")
    assert ARTICLE_CI in md
    assert "Note on eval: only 3 article(s), too few for an article bootstrap" in md


def test_joint_evaluation_gives_both_layers_their_article_interval(claims_dev, tmp_path):
    from dataclasses import replace

    from transformers import AutoTokenizer

    from araft.corpus.formats import read_articles
    from araft.tasks.joint.model import build_joint
    from araft.tasks.joint.predictor import JointPredictor, evaluate_joint

    token, _ = untrained("ner")
    sentence, settings = untrained("claims")
    predictor = JointPredictor(build_joint(token, sentence, ["claim", "obstacle"]),
                               AutoTokenizer.from_pretrained(ENCODER), replace(settings, task="joint"),
                               device="cpu")

    metrics, _ = evaluate_joint(predictor, read_articles(str(claims_dev)), n_resamples=BOOT)
    for layer in ("entities", "sentences"):
        assert metrics[layer]["bootstrap"]["n_articles"] == N_ARTICLES, layer
        assert set(metrics[layer]["ci_article"]) == set(metrics[layer]["ci"]), layer
    # ANERcorp as the joint model's extra set: one article per sentence, so no article interval
    conll = read_articles(str(conll_slice(tmp_path / "dev20.conll", 20)))
    metrics, _ = evaluate_joint(predictor, conll, n_resamples=BOOT)
    assert "ci" in metrics["entities"] and "ci_article" not in metrics["entities"]
