"""File-system failures (disk full, no permission, read-only) as one line naming the path and the
operation, and folders that appear only once they are whole.

Without this, a full disk surfaces as a traceback from deep inside torch or safetensors that names
no path, and leaves a lone config.json in model/ or in a checkpoint.
"""
from __future__ import annotations

import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from araft.errors import AraftError

# torch's zip writer and safetensors report write failures as RuntimeError / their own types
_WRITE_FAILURE = re.compile(r"write failed|No space left|Disk quota|Read-only file system|"
                            r"Permission denied|Input/output error", re.IGNORECASE)


class DiskError(AraftError):
    """Reading or writing a file failed for a reason outside araft (space, permission, device)."""


def is_disk_failure(err: BaseException) -> bool:
    if isinstance(err, OSError):
        return True
    return isinstance(err, Exception) and bool(_WRITE_FAILURE.search(str(err)))


def describe(err: BaseException, operation: str, path: str | Path) -> str:
    """'PATH: OPERATION failed: REASON' (the path the system names, else the one given)."""
    target = getattr(err, "filename", None) or path
    text = str(err).strip()
    reason = getattr(err, "strerror", None) or (text.splitlines()[0] if text else type(err).__name__)
    return f"{target}: {operation} failed: {reason}"


@contextmanager
def disk_step(operation: str, path: str | Path) -> Iterator[None]:
    """Turn a file-system failure inside the block into a DiskError naming path and operation."""
    try:
        yield
    except AraftError:
        raise
    except Exception as err:
        if not is_disk_failure(err):
            raise
        raise DiskError(describe(err, operation, path)) from None


def staging_dir(final: Path) -> Path:
    """Where a folder is written before it is renamed to ``final`` (same file system)."""
    return final.with_name(f".{final.name}.partial")


def publish_dir(tmp: Path, final: Path) -> None:
    """Put the whole folder ``tmp`` at ``final``: a reader sees the old folder or the new one,
    and a kill in between leaves only hidden leftovers (cleared by the next publish)."""
    old = final.with_name(f".{final.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if final.exists():
        os.replace(final, old)
    os.replace(tmp, final)
    shutil.rmtree(old, ignore_errors=True)


def fresh_dir(path: Path) -> Path:
    """An empty folder at ``path`` (a leftover of a failed attempt is removed first)."""
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path
