"""Published base-model shapes shrunk to train in seconds, for tests of the stand-in path."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from araft.standin import SHAPES_DIR


def small_shape(tmp_path: Path, shape: str = "arabertv02-base", vocab: int = 3000,
                hidden: int = 64) -> Path:
    """A copy of araft/shapes/<shape> with its tokenizer settings and 512 positions, but 2 layers
    of width ``hidden`` and a vocabulary of ``vocab``."""
    out = tmp_path / f"{shape}-small"
    shutil.copytree(SHAPES_DIR / shape, out)
    cfg = json.loads((out / "config.json").read_text(encoding="utf-8"))
    cfg.update(num_hidden_layers=2, hidden_size=hidden, num_attention_heads=2,
               intermediate_size=2 * hidden, vocab_size=vocab)
    if "embedding_size" in cfg:  # ELECTRA
        cfg["embedding_size"] = hidden
    (out / "config.json").write_text(json.dumps(cfg), encoding="utf-8")
    return out
