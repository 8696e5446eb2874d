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
TINY_MODEL = ROOT / "models" / "arabert-tiny"


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


@pytest.fixture
def compose_cfg(tmp_path: Path):
    """Factory: a TrainConfig as `araft train` would compose it, writing under tmp_path."""
    from araft.config import compose

    def make(*overrides: str):
        return compose([f"paths.output_root={tmp_path / 'outputs'}",
                        f"paths.cache_dir={tmp_path / 'cache'}", *overrides], root=str(ROOT))

    return make
