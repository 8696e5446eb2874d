"""Shared fixtures. No test reaches the network: the Hub and datasets run offline."""
from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
SEED_TXT = ROOT / "seeds" / "000_2a0c97e50c8b63d1.txt"
SEED_JSONL = ROOT / "seeds" / "seed.jsonl"
TINY_MODEL = ROOT / "models" / "arabert-mini-news"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is absent")
    return SHARED_DATA


@pytest.fixture(scope="session")
def seed_article():
    from araft.corpus.jsonl import read_jsonl

    return read_jsonl(SEED_JSONL)[0]


@pytest.fixture(scope="session")
def seed_sentences() -> list[list[str]]:
    """Seed-article sentences, AraBERT-preprocessed (a 2025 article: no embedded model pretrained on it)."""
    import re

    from araft.preprocessing import preprocess_text

    text = (ROOT / "seeds" / "000_2a0c97e50c8b63d1.txt").read_text(encoding="utf-8")
    sents = [preprocess_text(p, "arabertv02").split() for p in re.split(r"[.؟!\n]+", text)]
    return [s for s in sents if len(s) >= 6]


def compose_in(base: Path, *overrides: str):
    """A TrainConfig as `araft train` would compose it, writing under ``base``."""
    from araft.config import compose

    return compose([f"paths.output_root={base / 'outputs'}", f"paths.cache_dir={base / 'cache'}",
                    *overrides], root=str(ROOT))


@pytest.fixture
def compose_cfg(tmp_path: Path):
    """Factory fixture around compose_in for one test's tmp_path."""
    return lambda *overrides: compose_in(tmp_path, *overrides)


# Overfitting the seed article: small enough for CI, strong enough to reach F1 >= 0.9.
SEED_OVERFIT = ("experiment=seed_overfit", "trainer.epochs=15", "trainer.lr=1e-3",
                "trainer.batch_size=8", "trainer.eval_strategy=no", "trainer.save_strategy=no")


@pytest.fixture(scope="session")
def seed_ner_run(tmp_path_factory):
    """One NER run that overfits the seed article, shared by the tests that need a trained model."""
    from araft.run import run_training

    base = tmp_path_factory.mktemp("seed_ner")
    cfg = compose_in(base, *SEED_OVERFIT)
    metrics = run_training(cfg, base / "run")
    return base / "run", metrics


# A short run for the multi-process tests: two processes with batch 4 must log the losses of one
# process with batch 8 (dropout off, sequential batches).
DISTRIBUTED_RUN = ("experiment=seed_overfit", "model.dropout=0.0", "trainer.max_steps=2",
                   "trainer.lr=1e-4", "trainer.eval_strategy=no", "trainer.save_strategy=no",
                   "trainer.shuffle=false", "trainer.logging_steps=1", "trainer.bootstrap=20",
                   "data.extra_eval={}")
SUBPROCESS_ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1",
                  "OMP_NUM_THREADS": "1"}


def train_cli(out: Path, cache: Path, *overrides: str):
    """`araft train` in a subprocess: (run directories under ``out``, the finished process)."""
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "araft.cli", "train", *DISTRIBUTED_RUN, *overrides,
         f"paths.output_root={out}", f"paths.cache_dir={cache}"],
        cwd=ROOT, env=SUBPROCESS_ENV, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return [p.parent for p in out.rglob("run.json")], proc


@pytest.fixture(scope="session")
def one_process_runs(tmp_path_factory) -> list[Path]:
    """The reference of the multi-process tests: one process, batch 8 (run once per session)."""
    base = tmp_path_factory.mktemp("one_process")
    runs, _ = train_cli(base / "out", base / "cache", "trainer.batch_size=8")
    return runs


# Two steps on the seed article: a whole run directory (model/, metrics.json, run.json) for the
# tests of what araft refuses and guarantees, where the model's quality does not matter.
QUICK_RUN = ("experiment=seed_overfit", "trainer.max_steps=2", "trainer.eval_strategy=no",
             "trainer.save_strategy=no", "trainer.bootstrap=20", "tracking=none")


@pytest.fixture(scope="session")
def quick_run(tmp_path_factory) -> Path:
    from araft.run import run_training

    base = tmp_path_factory.mktemp("quick")
    run_training(compose_in(base, *QUICK_RUN), base / "run")
    return base / "run"


@pytest.fixture(autouse=True)
def _root_log_handlers_left_as_found():
    """`araft train` run in-process (Hydra sets up its job logging) adds root handlers that write
    to the sys.stdout/stderr of that moment: pytest's capture, closed after the test. Left on the
    root logger they print 'Logging error ... I/O operation on closed file' in later tests."""
    import logging

    before = list(logging.root.handlers)
    yield
    for handler in logging.root.handlers[:]:
        if handler not in before:
            logging.root.removeHandler(handler)
