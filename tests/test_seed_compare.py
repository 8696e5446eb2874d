"""`araft compare --by-seed`: runs differing only in their seed form one system; systems are compared
by their mean over seeds. With one run per system (or identical seeds) the intervals are exactly
plain compare's; a spread between seeds widens them; grouping mistakes are refused by name."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from araft.cli import main
from araft.errors import AraftError
from araft.metrics.bootstrap import HEADLINE, EntityCounts, multilabel_counts
from araft.metrics.seed_bootstrap import seed_group_deltas
from araft.reporting.compare import compare_runs
from araft.reporting.seed_compare import compare_seeds
from araft.reporting.seed_compare_doc import seed_comparison_document
from araft.reporting.markdown import render_markdown
from araft.rundir import RunDir

from test_report import copy_run, weak_ner_run

pytestmark = pytest.mark.filterwarnings("ignore")


@pytest.fixture(scope="module")
def runs(seed_ner_run, tmp_path_factory) -> tuple[Path, Path]:
    """(15 epochs at seed 42, 4 epochs at seed 7): two systems, one seed each."""
    return seed_ner_run[0], weak_ner_run(tmp_path_factory)


def as_seed(run: Path, dest: Path, seed: int, config_of: Path | None = None) -> Path:
    """A copy of `run` (its predictions) recorded as trained with `seed`, under the config of
    `config_of` (default its own): another seed of that system."""
    copy = copy_run(run, dest)
    info = RunDir(copy).info()
    config = RunDir(config_of).info().config if config_of else info.config
    info.config = dataclasses.replace(config, seed=seed)
    RunDir(copy).write_info(info)
    return copy


def test_one_run_per_system_gives_plain_compare(runs):
    strong, weak = runs
    plain = compare_runs([strong, weak], n_resamples=300, seed=5)
    cmp = compare_seeds([strong, weak], n_resamples=300, seed=5)
    assert cmp.groups == [[0], [1]] and cmp.labels == ["A", "B"]
    assert cmp.splits[0].deltas[1] == plain.splits[0].deltas[1]
    assert any("every system has one run" in n for n in cmp.notes)
    assert [k for k, _ in cmp.config_diff] == [k for k, _ in plain.config_diff if k != "seed"]


def test_identical_seeds_change_no_interval(runs, tmp_path):
    """Two seeds that predict alike: the seed level adds nothing and the mean is the run's score."""
    strong, weak = runs
    paths = [strong, as_seed(strong, tmp_path / "s43", 43), weak, as_seed(weak, tmp_path / "w8", 8)]
    cmp = compare_seeds(paths, n_resamples=300, seed=5)
    assert cmp.groups == [[0, 1], [2, 3]]
    assert cmp.seeds(0) == [42, 43] and cmp.seeds(1) == [7, 8]
    expected = compare_runs([strong, weak], n_resamples=300, seed=5).splits[0].deltas[1]
    got = cmp.splits[0].deltas[1]
    for m in HEADLINE:
        for key in ("delta", "low", "high"):
            assert got[m][key] == pytest.approx(expected[m][key], abs=1e-12), (m, key)
    md = render_markdown(seed_comparison_document(cmp))
    micro = cmp.splits[0].scores[0]["micro_f1"]
    assert f"42: {micro:.3f}, 43: {micro:.3f}" in md and f"{micro:.3f} ± 0.000" in md


def test_a_spread_between_seeds_widens_the_interval(runs, tmp_path):
    """System A's second seed predicts like system B: A's mean is halfway, and the interval, which
    now resamples A's seeds too, is far wider than the data alone allows."""
    strong, weak = runs
    mixed = as_seed(weak, tmp_path / "a2", 99, config_of=strong)
    cmp = compare_seeds([strong, mixed, weak], n_resamples=400, seed=1)
    assert cmp.groups == [[0, 1], [2]]
    scores = [s["micro_f1"] for s in cmp.splits[0].scores]
    d = cmp.splits[0].deltas[1]["micro_f1"]
    assert d["delta"] == pytest.approx(scores[2] - (scores[0] + scores[1]) / 2)
    assert d["low"] <= d["delta"] <= d["high"]
    data_only = compare_runs([strong, weak], n_resamples=400, seed=1).splits[0].deltas[1]["micro_f1"]
    # halfway between the systems, the data alone would give half the paired width
    assert d["high"] - d["low"] > 1.5 * (data_only["high"] - data_only["low"]) / 2
    # the seed draws reach both of A's runs: B minus A spans 0 (B vs A's weak seed) to B - strong
    assert d["high"] >= -1e-12


def test_seed_level_by_hand_on_label_counts():
    """Three runs of system A, one of B, on four sentences: each resample's A is the mean of the
    drawn seeds. With the data fixed (all sentences identical) only the seeds move it."""
    gold = np.array([[1, 0]] * 4)
    def run(pred_rows):
        return multilabel_counts(gold, np.array(pred_rows), ["claim", "obstacle"])
    a = [run([[1, 0]] * 4), run([[0, 0]] * 4), run([[1, 1]] * 4)]  # micro F1 1, 0, 2/3
    b = [run([[1, 0]] * 4)]
    (_, d) = seed_group_deltas([a, b], n_resamples=2000, seed=0)
    assert d["micro_f1"]["delta"] == pytest.approx(1 - (1 + 0 + 2 / 3) / 3)
    # the seed-mean ranges over draws of 3 from {1, 0, 2/3}: B - A runs from 0 to 1
    assert d["micro_f1"]["low"] >= 0 and d["micro_f1"]["high"] <= 1
    assert d["micro_f1"]["high"] - d["micro_f1"]["low"] > 0.5


def test_task_settings_the_task_never_reads_do_not_split_a_system(runs, tmp_path):
    """ner_claims_tiny inherits joint_claims_tiny's sentence settings: an NER run with another
    sentence loss schedule, pos_weight or context is the same NER system, and the key is no
    difference; a setting NER reads still splits it."""
    strong, weak = runs
    other = as_seed(strong, tmp_path / "s43", 43)
    info = RunDir(other).info()
    info.config = dataclasses.replace(info.config, task=dataclasses.replace(
        info.config.task, sentence_loss_schedule="linear", pos_weight=False, context=2))
    RunDir(other).write_info(info)
    cmp = compare_seeds([strong, other, weak], n_resamples=50)
    assert cmp.groups == [[0, 1], [2]]
    assert not any(k.startswith("task.") for k, _ in cmp.config_diff)
    split = as_seed(strong, tmp_path / "s44", 44)
    info = RunDir(split).info()
    info.config = dataclasses.replace(info.config, trainer=dataclasses.replace(
        info.config.trainer, lr=info.config.trainer.lr * 2))
    RunDir(split).write_info(info)
    assert compare_seeds([strong, split, weak], n_resamples=50).groups == [[0], [1], [2]]


def test_seed_comparison_refuses_what_it_cannot_group(runs, tmp_path):
    strong, weak = runs
    with pytest.raises(AraftError, match="same system with the same seed"):
        compare_seeds([strong, copy_run(strong, tmp_path / "copy"), weak])
    with pytest.raises(AraftError, match="one system"):
        compare_seeds([strong, as_seed(strong, tmp_path / "s1", 1)])
    bare = copy_run(weak, tmp_path / "bare")
    (bare / "run.json").unlink()
    with pytest.raises(AraftError, match=r"bare.*no config"):
        compare_seeds([strong, bare])
    with pytest.raises(AraftError, match="at least two systems"):
        seed_group_deltas([[EntityCounts(np.zeros((2, 1, 3), dtype=np.int64), ("X",))]])


def test_compare_by_seed_command(runs, tmp_path, capsys):
    strong, weak = runs
    second = as_seed(weak, tmp_path / "w9", 9)
    assert main(["compare", "--by-seed", "--bootstrap", "100", str(strong), str(weak),
                 str(second)]) == 0
    md = capsys.readouterr().out
    assert "araft compare --by-seed: A vs B" in md and "micro F1 mean ± sd" in md
    assert "7: " in md and "9: " in md and "B − A [95% CI]" in md
    out = tmp_path / "cmp"
    assert main(["compare", "--by-seed", "--bootstrap", "100", "--unit", "article", "--out", str(out),
                 str(strong), str(weak), str(second)]) == 0
    assert (out / "compare.md").is_file() and (out / "compare.html").is_file()
    assert list((out / "plots").glob("compare_*.png"))
    assert "over articles and seeds" in (out / "compare.md").read_text(encoding="utf-8")
