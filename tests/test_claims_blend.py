"""benchmarks.claims_blend: a run's probabilities blended with TF-IDF's, the weight chosen on dev,
on the real corpus's dev and test sentences."""
from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pytest

from araft.tasks.claims.blend import WEIGHTS
from benchmarks import claims_blend as cb
from benchmarks import claims_quality as cq
from fake_runs import write_scored_predictions


@pytest.fixture(scope="module")
def splits():
    return cq.load_split("dev"), cq.load_split("test")


def separating(gold: np.ndarray) -> np.ndarray:
    return np.where(gold == 1, 0.8, 0.3)


def noise(gold: np.ndarray, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).uniform(0.05, 0.95, gold.shape)


def test_the_table_holds_every_weight_and_araft_s_choice(splits):
    """A run that separates the gold keeps weight 0 (the smaller weight wins a tie); a run of noise
    beside a TF-IDF that separates takes TF-IDF's side, and test follows."""
    dev, test = splits
    good = cb.blend_table(dev[1], separating(dev[1]), noise(dev[1], 0), separating(test[1]),
                          noise(test[1], 1), test[1])
    assert good["chosen"] == 0.0 and good["rows"][0]["test_micro_f1"] == 1.0
    assert [r["weight"] for r in good["rows"]] == list(WEIGHTS)
    assert (good["preds"][0.0] == test[1]).all()
    bad = cb.blend_table(dev[1], noise(dev[1], 2), separating(dev[1]), noise(test[1], 3),
                         separating(test[1]), test[1])
    best_dev = max(r["dev_micro_f1"] for r in bad["rows"])
    assert bad["chosen"] == min(r["weight"] for r in bad["rows"] if r["dev_micro_f1"] == best_dev) > 0
    assert bad["rows"][0]["test_micro_f1"] < 0.8 and (bad["preds"][bad["chosen"]] == test[1]).all()


def test_top_precision_counts_the_highest_ranked():
    gold = np.array([1, 0, 1, 0, 0] * 100)
    top = cb.top_precision(gold, np.where(gold == 1, 0.9, 0.1))
    assert top == {20: 1.0, 40: 1.0, 200: 1.0, 300: 200 / 300}
    assert cb.top_precision(gold, np.where(gold == 1, 0.1, 0.9))[20] == 0.0


def test_main_scores_a_run_beside_its_blend(splits, monkeypatch, tmp_path, capsys):
    dev, test = splits
    for run in ("run", "run2"):
        write_scored_predictions(tmp_path / run)
    fake = SimpleNamespace(dev_probs=noise(dev[1], 4), probs=lambda texts, groups=None: noise(test[1], 5))
    monkeypatch.setattr(cb, "fit_tfidf", lambda train, dev, context=False: fake)
    assert cb.main(["--run", str(tmp_path / "run"), "--run", str(tmp_path / "run2"),
                    "--json", str(tmp_path / "out.json")]) == 0
    out = capsys.readouterr().out
    assert "run dev 1.000 / 1.000" in out and "blend w=0.0: test micro F1 1.000" in out
    # the fake runs predicted their labels from the same separating scores: the blend keeps them
    assert "over the 2 runs: the blends' mean test micro F1 minus the runs' as they predicted +0.000" in out
    saved = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert saved["runs"].pop("over_runs")["delta"] == 0.0
    result = saved["runs"]["araft run"]
    assert result["chosen"] == 0.0 and len(result["rows"]) == 11
    assert result["obstacle_top_precision"]["run"]["71"] == 1.0  # 71 obstacles in test
