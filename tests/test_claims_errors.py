"""benchmarks.claims_errors: one label's decisions per selection round and per article, on the real
test and dev splits."""
from __future__ import annotations

import json

import numpy as np

from benchmarks import claims_errors as ce
from benchmarks import claims_quality as cq
from fake_runs import write_scored_predictions


def test_breakdown_counts_each_group():
    gold = [1, 0, 1, 0, 0, 1]
    guess = [1, 1, 0, 0, 0, 0]
    scores = np.array([0.9, 0.6, 0.4, 0.1, 0.2, 0.3])
    got = ce.breakdown(gold, guess, scores, ["a", "a", "a", "b", "b", "c"])
    assert list(got) == ["a", "b", "c"]  # in the order the groups first appear
    assert got["a"] == {"sentences": 3, "gold": 2, "guesses": 2, "hits": 1, "f1": 0.5, "auc": 0.5}
    assert got["b"]["f1"] == 1.0 and got["b"]["auc"] is None  # nothing to find, nothing guessed
    assert got["c"] == {"sentences": 1, "gold": 1, "guesses": 0, "hits": 0, "f1": 0.0, "auc": None}


def test_test_articles_come_from_the_keyword_rounds_only():
    """Rounds 4 and 6 were chosen by a claims model and are train-only (corpus README)."""
    articles = sorted(set(cq.article_ids(cq.load_split("test")[2])))
    rounds = dict(zip(articles, cq.article_rounds(articles)))
    assert set(rounds.values()) == {1, 2, 3, 5}
    assert rounds["co_039"] == 1 and rounds["co_162"] == 3 and rounds["co_437"] == 5


def guesses_nothing(train, dev, scored, **_):
    """A stand-in for the TF-IDF baseline: no guess, the same score for every sentence."""
    return np.zeros(scored[1].shape), np.zeros_like(scored[1]), {}


def test_report_of_a_run_and_the_baseline(tmp_path, monkeypatch, capsys):
    """A run whose scores separate the gold hits every obstacle in every round; the baseline,
    here one that guesses nothing and ranks nothing (AUC 0.5), hits none; the articles are
    listed by their gold count."""
    run = write_scored_predictions(tmp_path / "separating")
    monkeypatch.setattr(cq, "tfidf_scored", guesses_nothing)
    assert ce.main(["--run", str(run), "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("obstacle, test: 71 gold sentences in 52 articles")
    rows = [line.split(" | ") for line in out.splitlines() if line.startswith("| ")]
    by_round = {r[0][2:]: r for r in rows[1:5]}
    assert set(by_round) == {"1", "2", "3", "5"}
    assert sum(int(r[2]) for r in by_round.values()) == 71
    for r in by_round.values():
        assert r[3] == "0.000 (0/0, AUC 0.50)" and r[4] == f"1.000 ({r[2]}/{r[2]}, AUC 1.00) |"
    assert "The 3 articles with the most gold obstacle sentences hold 42% of them:" in out
    listed = [r for r in rows if r[0].startswith("| co_")]
    assert [r[0] for r in listed] == ["| co_437 (5)", "| co_162 (3)", "| co_039 (1)"]
    assert listed[0][2:] == ["15", "0/0", "15/15 |"]


def test_runs_of_one_experiment_keep_their_own_columns(tmp_path):
    runs = [tmp_path / "2026-12-04_17-02-06_e53cde", tmp_path / "2026-12-04_17-27-16_9216b6",
            tmp_path / "other"]
    for run, experiment in zip(runs, ("claims_obstacles_tiny", "claims_obstacles_tiny", "joint_claims_tiny")):
        run.mkdir()
        (run / "metrics.json").write_text(json.dumps({"experiment": experiment}), encoding="utf-8")
    assert list(ce.run_names(runs)) == ["claims_obstacles_tiny (2026-12-04_17-02-06_e53cde)",
                                        "claims_obstacles_tiny (2026-12-04_17-27-16_9216b6)",
                                        "joint_claims_tiny"]


def test_dev_is_broken_down_from_the_runs_dev_predictions(tmp_path, monkeypatch, capsys):
    run = write_scored_predictions(tmp_path / "separating", splits=("dev",))
    monkeypatch.setattr(cq, "tfidf_scored", guesses_nothing)
    assert ce.main(["--run", str(run), "--split", "dev", "--label", "claim"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("claim, dev: 423 gold sentences in 52 articles")
    rounds = [line.split(" | ") for line in out.splitlines() if line[:4] in ("| 1 ", "| 2 ", "| 3 ", "| 5 ")]
    assert len(rounds) == 4 and sum(int(r[2]) for r in rounds) == 423
    assert all(r[4] == f"1.000 ({r[2]}/{r[2]}, AUC 1.00) |" for r in rounds)
