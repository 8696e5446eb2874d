"""`araft ...` in a subprocess with a fault injected first: a kill -9 or a full disk at an exact
point, which a real process cannot be made to hit reliably from outside."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT, SUBPROCESS_ENV

# The model's weights: every checkpoint and model/ write them through this name.
DISK_FULL_ON_WEIGHTS = """
import errno, os
import transformers.modeling_utils as mu
calls = {"n": 0}
def full(tensors, filename, *args, **kwargs):
    calls["n"] += 1
    if calls["n"] >= FAIL_FROM:
        with open(filename, "wb") as fh:
            fh.write(b"\\0" * 64)  # a part of the file made it to disk
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    return SAVE(tensors, filename, *args, **kwargs)
SAVE = mu.safe_save_file
mu.safe_save_file = full
"""

# SIGKILL once checkpoint-STEP is fully written but before araft marks it complete.
KILL_BEFORE_MARKER = """
import os, signal
import araft.checkpoints as c
write = c.write_marker
def write_or_die(folder, payload):
    if payload["global_step"] == STEP:
        os.kill(os.getpid(), signal.SIGKILL)
    write(folder, payload)
c.write_marker = write_or_die
"""

RUN_CLI = "\nimport sys\nfrom araft.cli import main\nsys.exit(main(sys.argv[1:]))\n"


def with_fault(fault: str, **values: int) -> list[str]:
    """The command line of `python -c` running ``fault`` (names in ``values`` replaced), then araft."""
    for name, value in values.items():
        fault = fault.replace(name, str(value))
    return [sys.executable, "-c", fault + RUN_CLI]


def start(command: list[str], *args: str, log: Path) -> subprocess.Popen:
    with open(log, "w") as fh:  # its own session: a kill reaches only what it started
        return subprocess.Popen([*command, *args], cwd=ROOT, env=SUBPROCESS_ENV, stdout=fh,
                                stderr=subprocess.STDOUT, start_new_session=True)
