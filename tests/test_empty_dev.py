"""Issue 18, case 8: a dev split without gold entities (or labelled sentences) cannot choose the
best checkpoint. By default the run is refused in one line naming the file; with
trainer.empty_dev=loss it is warned about and the checkpoint is chosen on the dev loss. Never a
silent F1 of 0.000."""
from __future__ import annotations

import json
import logging

import pytest

from araft.errors import DataError
from conftest import SEED_JSONL, compose_in


@pytest.fixture
def bare_dev(tmp_path):
    """The seed article with its entities and sentence labels removed."""
    article = json.loads(SEED_JSONL.read_text(encoding="utf-8").splitlines()[0])
    article["entities"] = []
    for sentence in article.get("sentences") or []:
        sentence["labels"] = []
    path = tmp_path / "bare.jsonl"
    path.write_text(json.dumps(article, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def test_refused_by_default(tmp_path, bare_dev):
    from araft.run import run_training

    cfg = compose_in(tmp_path, "experiment=seed_overfit", f"data.dev={bare_dev}")
    with pytest.raises(DataError) as err:
        run_training(cfg, tmp_path / "run")
    assert str(err.value).startswith(f"{bare_dev}: the dev split has no gold entities")
    assert "trainer.empty_dev=loss" in str(err.value)
    assert not (tmp_path / "run" / "checkpoints").exists()


def test_claims_without_labelled_sentences_are_refused(bare_dev):
    from araft.corpus.jsonl import read_jsonl
    from araft.selection import dev_selection

    with pytest.raises(DataError, match="no labelled sentences"):
        dev_selection("claims", read_jsonl(bare_dev), str(bare_dev), "refuse")
    assert dev_selection("claims", read_jsonl(SEED_JSONL), str(SEED_JSONL), "refuse") is None


def test_loss_selects_on_dev_loss_with_a_warning(tmp_path, bare_dev, caplog):
    from araft.evaluation import headline
    from araft.run import run_training

    cfg = compose_in(tmp_path, "experiment=seed_overfit", f"data.dev={bare_dev}",
                     "trainer.empty_dev=loss", "trainer.max_steps=2", "trainer.eval_strategy=steps",
                     "trainer.eval_steps=1", "trainer.bootstrap=20", "tracking=none")
    with caplog.at_level(logging.WARNING, logger="araft.selection"):
        metrics = run_training(cfg, tmp_path / "run")
    assert "chosen on the dev loss" in caplog.text
    evals = [h for h in metrics["log_history"] if "eval_loss" in h]
    best = min(evals, key=lambda h: h["eval_loss"])
    assert metrics["best_checkpoint"].endswith(f"checkpoint-{best['step']}")
    assert metrics["splits"]["dev"]["support"] == 0
    assert "dev: no gold annotation, F1 not defined" in headline(metrics)
