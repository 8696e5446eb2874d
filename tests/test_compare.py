"""`araft compare`: deltas and paired intervals equal a direct computation on the runs'
predictions; different data is refused by name; sweeps expand; only differing config keys show."""
from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from araft.cli import main
from araft.corpus.article import Article, Entity
from araft.corpus.jsonl import read_jsonl, write_jsonl
from araft.corpus.tags import spans_to_tags
from araft.errors import AraftError
from araft.features import file_digest
from araft.metrics.bootstrap import HEADLINE, entity_counts, group_counts, paired_bootstrap
from araft.reporting.compare import article_groups, compare_runs
from araft.reporting.compare_doc import comparison_document, fmt_delta
from araft.reporting.markdown import render_markdown
from araft.rundir import RunDir
from araft.runinfo import DataFile
from araft.tasks.ner import sentence_words

from conftest import SEED_JSONL
from test_report import copy_run, weak_ner_run

pytestmark = pytest.mark.filterwarnings("ignore")
TYPES = ["LOC", "MISC", "ORG", "PERS"]


@pytest.fixture(scope="module")
def runs(seed_ner_run, tmp_path_factory) -> tuple[Path, Path]:
    """(15 epochs at seed 42, 4 epochs at seed 7): same data, different seeds and schedules."""
    return seed_ner_run[0], weak_ner_run(tmp_path_factory)


def direct_counts(run: Path):
    """Per-sentence counts straight from predictions/dev.jsonl, through the training code's own
    sentence and word segmentation (tasks.ner.sentence_words), not through araft.reporting."""
    predicted = read_jsonl(run / "predictions" / "dev.jsonl")
    gold = [Article(a.id, a.text, [Entity(e["start"], e["end"], e["label"])
                                   for e in a.meta["gold"]["entities"]], a.sentences, a.meta)
            for a in predicted]
    sents = sentence_words(gold)
    pred = [spans_to_tags(sw.words, predicted[sw.article].entities) for sw in sents]
    return entity_counts([sw.gold for sw in sents], pred, types=TYPES)


def test_deltas_and_intervals_match_a_direct_paired_bootstrap(runs):
    strong, weak = runs
    cmp = compare_runs([strong, weak], n_resamples=300, seed=3)
    assert [s.split for s in cmp.splits] == ["dev"]
    got = cmp.splits[0].deltas[1]
    expected = paired_bootstrap(direct_counts(weak), direct_counts(strong), n_resamples=300, seed=3)
    assert got == expected
    saved = [json.loads((r / "metrics.json").read_text())["splits"]["dev"] for r in (strong, weak)]
    for m in HEADLINE:
        assert got[m]["delta"] == pytest.approx(saved[1][m] - saved[0][m], abs=1e-12), m
        assert got[m]["low"] <= got[m]["delta"] <= got[m]["high"] or got[m]["low"] == got[m]["high"]
    # the weak run is clearly worse on micro F1, and the test says so
    assert got["micro_f1"]["delta"] < 0 and got["micro_f1"]["high"] < 0
    assert got["micro_f1"]["p_value"] < 0.05
    assert cmp.notes == []  # recomputed scores agree with metrics.json
    md = render_markdown(comparison_document(cmp))
    assert fmt_delta(expected["micro_f1"]) in md
    assert fmt_delta(expected["per_type"]["LOC"]) in md


def test_a_run_against_itself_differs_by_nothing(runs):
    cmp = compare_runs([runs[1], runs[1]], n_resamples=100)
    d = cmp.splits[0].deltas[1]
    assert all(d[m]["delta"] == 0 and d[m]["p_value"] == 1.0 for m in HEADLINE)
    assert cmp.config_diff == []


def test_only_the_config_keys_that_differ(runs):
    strong, weak = runs
    cmp = compare_runs([strong, weak], n_resamples=50)
    a, b = (RunDir(r).info().config_values() for r in (strong, weak))
    differing = sorted(k for k in set(a) | set(b) if a.get(k, "?") != b.get(k, "?")
                       and not k.startswith("paths.") and k not in ("resume", "prepare_only"))
    assert [k for k, _ in cmp.config_diff] == differing
    diff = dict(cmp.config_diff)
    assert diff["seed"] == [42, 7] and diff["trainer.epochs"] == [15, 4]
    assert diff["trainer.eval_strategy"] == ["no", "epoch"]
    assert "model.name" not in diff and "trainer.batch_size" not in diff


def _other_data(tmp_path: Path) -> Path:
    """The seed article with one gold entity fewer: different data, same article."""
    art = read_jsonl(SEED_JSONL)[0]
    other = tmp_path / "other.jsonl"
    write_jsonl([Article(art.id, art.text, art.entities[:-1], art.sentences, art.meta)], other)
    return other


def test_runs_on_different_data_are_refused_naming_the_files(runs, tmp_path):
    strong, weak = runs
    other = _other_data(tmp_path)
    copy = copy_run(weak, tmp_path / "b")
    info = RunDir(copy).info()
    info.data["dev"] = DataFile(str(other), file_digest(other))
    RunDir(copy).write_info(info)
    with pytest.raises(AraftError) as err:
        compare_runs([strong, copy])
    msg = str(err.value)
    assert "different data" in msg and "'dev'" in msg
    assert str(other) in msg and str(SEED_JSONL) in msg and file_digest(other)[:12] in msg

    # without run.json the hash comes from the file metrics.json names
    (copy / "run.json").unlink()
    metrics = json.loads((copy / "metrics.json").read_text())
    metrics["splits"]["dev"]["file"] = str(other)
    (copy / "metrics.json").write_text(json.dumps(metrics))
    assert main(["compare", str(strong), str(copy)]) == 2
    with pytest.raises(AraftError, match="other.jsonl"):
        compare_runs([strong, copy])


def test_a_sweep_directory_expands_to_its_runs(runs, tmp_path, capsys):
    strong, weak = runs
    sweep = tmp_path / "multirun"
    copy_run(strong, sweep / "0")
    copy_run(weak, sweep / "1")
    (sweep / "multirun.yaml").write_text("hydra: {}\n")
    cmp = compare_runs([sweep], n_resamples=300, seed=3)
    assert [r.root.name for r in cmp.runs] == ["0", "1"] and cmp.labels == ["A", "B"]
    direct = paired_bootstrap(direct_counts(weak), direct_counts(strong), n_resamples=300, seed=3)
    assert cmp.splits[0].deltas[1] == direct
    with pytest.raises(AraftError, match="neither a run directory"):
        compare_runs([tmp_path / "nothing-here", strong])


def test_compare_command_prints_markdown_or_writes_md_and_html(runs, tmp_path, capsys):
    strong, weak = runs
    assert main(["compare", str(strong), str(weak), "--bootstrap", "100"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# araft compare: A vs B") and "| micro F1 |" in out
    assert "| seed | 42 | 7 |" in out
    assert main(["compare", str(strong), str(weak), "--bootstrap", "100", "--out", str(tmp_path / "c")]) == 0
    html = (tmp_path / "c" / "compare.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "data:image/png;base64," in html
    assert (tmp_path / "c" / "compare.md").read_text(encoding="utf-8").startswith("# araft compare")
    assert (tmp_path / "c" / "plots" / "compare_dev.png").is_file()


def _shifted(items, lo: int, hi: int) -> list[dict]:
    return [{**x, "start": x["start"] - lo, "end": x["end"] - lo}
            for x in items or () if lo <= x["start"] < hi]


def split_into_articles(run: Path, dest: Path, k: int) -> Path:
    """A copy of the run whose dev predictions cut the seed article into k articles of consecutive
    sentences: the same sentences, words and entities, only grouped into k articles."""
    copy = copy_run(run, dest)
    path = copy / "predictions" / "dev.jsonl"
    (art,) = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    starts = [s["start"] for s in sorted(art["sentences"], key=lambda s: s["start"])]
    cuts = [starts[c[0]] for c in np.array_split(np.arange(len(starts)), k)] + [len(art["text"])]
    parts = []
    for j, (lo, hi) in enumerate(zip(cuts, cuts[1:])):
        gold = art["meta"]["gold"]
        meta = {**art["meta"], "gold": {"entities": _shifted(gold["entities"], lo, hi),
                                        "sentences": _shifted(gold["sentences"], lo, hi)}}
        parts.append({"id": f"{art['id']}_{j}", "text": art["text"][lo:hi],
                      "entities": _shifted(art["entities"], lo, hi),
                      "sentences": _shifted(art["sentences"], lo, hi), "meta": meta})
    path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in parts), encoding="utf-8")
    return copy


def direct_articles(run: Path) -> list[str]:
    """The article of each scored dev sentence, through the training code's segmentation."""
    predicted = read_jsonl(run / "predictions" / "dev.jsonl")
    return [predicted[sw.article].id for sw in sentence_words(predicted)]


def test_article_unit_resamples_whole_articles_with_the_same_point_deltas(runs, tmp_path):
    strong, weak = (split_into_articles(r, tmp_path / name, 5) for r, name in zip(runs, "ab"))
    by_sentence = compare_runs([strong, weak], n_resamples=300, seed=3)
    by_article = compare_runs([strong, weak], n_resamples=300, seed=3, unit="article")
    ss, sa = by_sentence.splits[0], by_article.splits[0]
    assert ss.n_sentences == sa.n_sentences == ss.n_units == 34 and sa.n_units == 5
    assert sa.scores == ss.scores
    for m in HEADLINE:
        assert sa.deltas[1][m]["delta"] == ss.deltas[1][m]["delta"], m
    groups = direct_articles(weak)
    assert len(set(groups)) == 5 and groups == direct_articles(strong)
    assert ss.deltas[1] == paired_bootstrap(direct_counts(weak), direct_counts(strong), 300, 3)
    assert sa.deltas[1] == paired_bootstrap(group_counts(direct_counts(weak), groups),
                                            group_counts(direct_counts(strong), groups), 300, 3)
    assert sa.deltas[1]["micro_f1"] != ss.deltas[1]["micro_f1"]  # other resamples, other interval
    assert by_article.bootstrap["method"] == "paired percentile bootstrap over articles"
    assert by_sentence.bootstrap["method"] == "paired percentile bootstrap over sentences"
    md = render_markdown(comparison_document(by_article))
    assert "95% paired percentile bootstrap over articles (5 articles)" in md
    assert "95% paired percentile bootstrap over sentences (34 sentences)" in render_markdown(
        comparison_document(by_sentence))
    # recomputed scores still agree with metrics.json; only the few-articles warning is noted
    assert by_sentence.notes == [] and len(by_article.notes) == 1
    assert "only 5 article(s)" in by_article.notes[0]


def test_article_unit_on_one_sentence_articles_says_it_resamples_sentences(runs, tmp_path):
    """A CoNLL extra set (ANERcorp dev) has no article boundaries: each sentence is its own article,
    and the comparison says that its article interval is a sentence interval."""
    strong, weak = (split_into_articles(r, tmp_path / name, 34) for r, name in zip(runs, "ab"))
    by_article = compare_runs([strong, weak], n_resamples=100, seed=3, unit="article")
    by_sentence = compare_runs([strong, weak], n_resamples=100, seed=3)
    sa = by_article.splits[0]
    assert sa.n_units == sa.n_sentences == 34
    assert sa.deltas[1] == by_sentence.splits[0].deltas[1]
    assert by_article.notes == ["dev: every article is one sentence (a file without article boundaries, "
                                "such as CoNLL), so resampling articles is resampling sentences"]
    assert by_sentence.notes == []


def test_compare_command_article_unit_on_one_article(runs, capsys):
    """The seed dev split is one article: resampling it gives no interval at all, and says so."""
    strong, weak = runs
    assert main(["compare", str(strong), str(weak), "--bootstrap", "100", "--unit", "article"]) == 0
    out = capsys.readouterr().out
    assert "95% paired percentile bootstrap over articles (1 article), 100 resamples" in out
    assert "only 1 article(s), too few for an article bootstrap" in out
    d = compare_runs([strong, weak], n_resamples=100, unit="article").splits[0].deltas[1]
    assert d["micro_f1"]["low"] == d["micro_f1"]["delta"] == d["micro_f1"]["high"]
    with pytest.raises(AraftError, match="unknown bootstrap unit 'word'"):
        compare_runs([strong, weak], unit="word")


def test_article_groups_must_be_the_same_for_every_run():
    def run(*ids):
        return SimpleNamespace(splits={"dev": SimpleNamespace(
            sentences=[SimpleNamespace(article_id=i) for i in ids])})

    assert article_groups([run("a", "a", "b"), run("a", "a", "b")], ["dev", "dev"]) == ["a", "a", "b"]
    with pytest.raises(AraftError, match="different articles"):
        article_groups([run("a", "a", "b"), run("a", "b", "b")], ["dev", "dev"])
