"""Is a model folder whole? Checked before predict, evaluate, push and training load it.

transformers loads a folder without tokenizer.json as a tokenizer of a handful of special tokens
(every word becomes [UNK] and predictions are silently empty), and a truncated model.safetensors
fails deep inside safetensors with no file name. Here each problem is one line naming the folder
and what is missing or damaged. Only files are read: no model or tokenizer is built.
"""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

from araft.errors import AraftError

WEIGHT_FILES = ("model.safetensors", "model.safetensors.index.json", "pytorch_model.bin",
                "pytorch_model.bin.index.json")
# a fast tokenizer, a WordPiece vocabulary, or a sentencepiece model
TOKENIZER_FILES = ("tokenizer.json", "vocab.txt", "sentencepiece.bpe.model", "spiece.model",
                   "tokenizer.model")


class ModelError(AraftError):
    """A model folder that is incomplete or damaged."""


def safetensors_problem(path: Path) -> str | None:
    """Why ``path`` is not a whole safetensors file (None if it is): the header's length, the
    header itself and the end of the last tensor must all lie inside the file."""
    size = path.stat().st_size
    if size < 8:
        return f"{path.name} is truncated ({size} bytes)"
    with open(path, "rb") as fh:
        n = int.from_bytes(fh.read(8), "little")
        if 8 + n > size:
            return f"{path.name} is truncated ({size} bytes, its header alone needs {8 + n})"
        try:
            header = json.loads(fh.read(n))
        except ValueError:
            return f"{path.name} has an unreadable header (damaged file)"
    try:
        end = max((v["data_offsets"][1] for k, v in header.items() if k != "__metadata__"),
                  default=0)
    except (TypeError, KeyError, IndexError):
        return f"{path.name} has an unreadable header (damaged file)"
    if 8 + n + end > size:
        return f"{path.name} is truncated ({size} bytes, its tensors need {8 + n + end})"
    return None


def _bin_problem(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as zf:  # torch.save's format: the directory sits at the end
            zf.namelist()
    except (zipfile.BadZipFile, OSError):
        return f"{path.name} is truncated or damaged"
    return None


def weights_problem(folder: Path) -> str | None:
    """Why the weights of ``folder`` cannot be read (None if they can)."""
    for name in WEIGHT_FILES:
        path = folder / name
        if not path.is_file():
            continue
        if name.endswith(".index.json"):
            try:
                shards = sorted(set(json.loads(path.read_text(encoding="utf-8"))["weight_map"].values()))
            except (ValueError, KeyError, TypeError):
                return f"{name} is damaged"
            for shard in shards:
                if not (folder / shard).is_file():
                    return f"weight shard {shard} (listed in {name}) is missing"
                problem = _one_file_problem(folder / shard)
                if problem:
                    return problem
            return None
        return _one_file_problem(path)
    return f"no weights ({' or '.join(WEIGHT_FILES[::2])})"


def _one_file_problem(path: Path) -> str | None:
    return safetensors_problem(path) if path.suffix == ".safetensors" else _bin_problem(path)


def tokenizer_size(folder: Path) -> int | None:
    """Tokens the folder's tokenizer knows (None when only a sentencepiece model says)."""
    fast = folder / "tokenizer.json"
    if fast.is_file():
        try:
            data = json.loads(fast.read_text(encoding="utf-8"))
            vocab = data["model"]["vocab"]
        except (ValueError, KeyError, TypeError):
            raise ModelError(f"{folder}: tokenizer.json is damaged (not a tokenizers file)") from None
        ids = set(vocab.values()) if isinstance(vocab, dict) else set(range(len(vocab)))
        ids.update(t["id"] for t in data.get("added_tokens") or [] if "id" in t)
        return len(ids)
    vocab_txt = folder / "vocab.txt"
    if vocab_txt.is_file():
        with open(vocab_txt, encoding="utf-8") as fh:
            return sum(1 for _ in fh)
    return None


def companion_problem(folder: Path, settings: dict) -> str | None:
    """Why the files a model needs beside its weights are not there or not whole (None if they
    are): the TF-IDF model its sentence scores blend with (araft.tasks.claims.tfidf)."""
    if not settings.get("tfidf_weight"):
        return None
    from araft.tasks.claims.tfidf import ARRAYS_FILE, FILES

    for name in FILES:
        if not (folder / name).is_file():
            return (f"{name} is missing, but config.json blends the sentence scores with TF-IDF "
                    f"(araft.tfidf_weight {settings['tfidf_weight']})")
    return safetensors_problem(folder / ARRAYS_FILE)


def check_model_dir(folder: str | Path, *, settings: bool = True, weights: bool = True) -> None:
    """Raise ModelError naming ``folder`` unless it holds config.json (with the araft settings
    when ``settings``), readable weights (when ``weights``) and a tokenizer that fits the model's
    vocabulary."""
    folder = Path(folder)
    config_file = folder / "config.json"
    if not config_file.is_file():
        raise ModelError(f"{folder}: config.json is missing: not a whole model folder")
    try:
        config = json.loads(config_file.read_text(encoding="utf-8"))
    except ValueError:
        raise ModelError(f"{folder}: config.json is damaged (not JSON)") from None
    if settings and not (isinstance(config.get("araft"), dict) and "preprocess" in config["araft"]):
        raise ModelError(f"{folder}: config.json has no 'araft' settings: not saved by araft")
    problem = weights_problem(folder) if weights else None
    if problem:
        raise ModelError(f"{folder}: {problem}")
    problem = companion_problem(folder, config.get("araft")) if settings else None
    if problem:
        raise ModelError(f"{folder}: {problem}")
    if not any((folder / name).is_file() for name in TOKENIZER_FILES):
        raise ModelError(f"{folder}: the tokenizer is missing (no {' or '.join(TOKENIZER_FILES[:2])}); "
                         "without it every word would be unknown")
    n_tokens, vocab = tokenizer_size(folder), config.get("vocab_size")
    if n_tokens is not None and isinstance(vocab, int):
        # ids past the embedding matrix cannot be looked up; a tokenizer far smaller than it is
        # not the one the model was trained with
        if n_tokens > vocab or n_tokens < vocab // 2:
            raise ModelError(f"{folder}: the tokenizer has {n_tokens} tokens but the model's "
                             f"vocabulary has {vocab}: they do not belong together")
