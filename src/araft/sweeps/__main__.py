"""`python -m araft.sweeps SWEEP_DIR`: (re)write a sweep directory's summary.md / summary.json."""
from __future__ import annotations

import sys
from pathlib import Path

from araft.sweeps.summary import write_summary


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print("usage: python -m araft.sweeps SWEEP_DIR", file=sys.stderr)
        return 2
    paths = write_summary(Path(argv[0]))
    print(paths.markdown.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
