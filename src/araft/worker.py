"""`python -m araft.worker RUN_DIR`: the former name of `python -m araft.distributed RUN_DIR`
(one training process under torchrun or accelerate), kept so existing launch commands work."""
from __future__ import annotations

import sys

from araft.distributed import main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())
