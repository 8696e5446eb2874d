"""Model-ready features as a `datasets.Dataset`, cached on disk by fingerprint.

The fingerprint covers the data, the tokenizer's vocabulary, the preprocessing mode and the
encoding settings, so a second run with the same inputs loads the cached Arrow file instead of
preprocessing and tokenising again.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Callable

FEATURES_VERSION = "1"  # bump when the encoding changes


def fingerprint(*parts: Any) -> str:
    h = hashlib.sha256(FEATURES_VERSION.encode())
    for part in parts:
        h.update(json.dumps(part, sort_keys=True, ensure_ascii=False, default=str).encode())
    return h.hexdigest()[:32]


def tokenizer_digest(tokenizer) -> str:
    """A stable hash of the tokenizer's vocabulary and pipeline."""
    backend = getattr(tokenizer, "backend_tokenizer", None)
    raw = backend.to_str() if backend is not None else json.dumps(tokenizer.get_vocab(), sort_keys=True)
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def file_digest(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def build_features(records: list[dict], encode_batch: Callable[[dict], dict], *,
                   key: str, cache_dir: str | Path | None, desc: str):
    """records (one per sentence) -> Dataset of windows via a batched ``map``.

    ``encode_batch`` takes a batch of records and returns columns of window features (the number
    of rows may grow: long sentences become several windows).
    """
    import datasets

    ds = datasets.Dataset.from_list(records)
    kwargs: dict[str, Any] = {}
    if cache_dir is not None:
        Path(cache_dir).mkdir(parents=True, exist_ok=True)
        kwargs["cache_file_name"] = str(Path(cache_dir) / f"features-{key}.arrow")
    return ds.map(encode_batch, batched=True, batch_size=1000, remove_columns=ds.column_names,
                  new_fingerprint=key, load_from_cache_file=cache_dir is not None, desc=desc,
                  **kwargs)
