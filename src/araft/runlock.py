"""One process group owns a run directory: `araft train` (or the rank-0 worker that accelerate or
torchrun started without araft's launcher) locks it before writing anything there.

Two `araft train` on the same hydra.run.dir used to both exit 0 with their checkpoints mixed.
The lock is an flock on RUN/.araft.lock: the kernel drops it when its process dies, so a lock
left by a killed run is never stale (the file's pid, from the dead owner, is only reported).
Workers started by araft's own launcher inherit ownership through ARAFT_RUN_LOCK instead of
taking the lock, which the launcher holds for them.
"""
from __future__ import annotations

import fcntl
import json
import logging
import os
import socket
import time
from pathlib import Path

from araft.errors import AraftError

log = logging.getLogger(__name__)

LOCK_FILE = ".araft.lock"
OWNER_ENV = "ARAFT_RUN_LOCK"  # set by the launcher for its workers: the run dir it holds


class RunLockedError(AraftError):
    """Another live process is using the run directory."""


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class RunLock:
    """``with RunLock(run_dir):`` or acquire()/release(). Raises RunLockedError at once (never
    waits) when another process holds the directory."""

    def __init__(self, run_dir: str | Path):
        self.run_dir = Path(run_dir)
        self.path = self.run_dir / LOCK_FILE
        self._fh = None

    def acquire(self) -> "RunLock":
        self.run_dir.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+", encoding="utf-8")
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            owner = self._read(fh)
            fh.close()
            raise RunLockedError(
                f"{self.run_dir}: in use by another araft process ({owner}); two runs in one "
                "directory would mix their checkpoints. Wait for it to end, or choose another "
                "hydra.run.dir") from None
        previous = self._read(fh, raw=True)
        if previous.get("pid") and not (previous.get("host") == socket.gethostname()
                                        and _pid_alive(previous["pid"])):
            log.info("%s: taking over the lock of pid %s, which ended", self.run_dir, previous["pid"])
        fh.seek(0)
        fh.truncate()
        json.dump({"pid": os.getpid(), "host": socket.gethostname(),
                   "started": time.strftime("%Y-%m-%dT%H:%M:%S")}, fh)
        fh.flush()
        self._fh = fh
        return self

    @staticmethod
    def _read(fh, raw: bool = False):
        fh.seek(0)
        try:
            info = json.loads(fh.read() or "{}")
        except ValueError:
            info = {}
        if raw:
            return info if isinstance(info, dict) else {}
        if not isinstance(info, dict) or "pid" not in info:
            return "owner unknown"
        return f"pid {info['pid']} on {info.get('host', '?')}, since {info.get('started', '?')}"

    def release(self) -> None:
        if self._fh is not None:
            fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None

    def __enter__(self) -> "RunLock":
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def owned_by_launcher(run_dir: str | Path) -> bool:
    """True in a worker whose launcher (araft's launch_local) holds this run's lock."""
    held = os.environ.get(OWNER_ENV)
    return bool(held) and Path(held).resolve() == Path(run_dir).resolve()
