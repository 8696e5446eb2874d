"""Turn a model folder's fp16 weights (as they come back from the GPU machine) into fp32, in place.

araft and the tests load the embedded model in fp32; the device tool returns files of at most 16 MiB,
so scripts/news_model_device.sh ships the weights in fp16.
Usage: .venv/bin/python scripts/model_fp32.py build/gpu_model
"""
from __future__ import annotations

import sys
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file


def to_fp32(folder: Path) -> int:
    path = folder / "model.safetensors"
    if not path.is_file():
        print(f"error: {path} not found", file=sys.stderr)
        return 2
    tensors = load_file(str(path))
    save_file({k: v.float() if v.is_floating_point() else v for k, v in tensors.items()}, str(path),
              metadata={"format": "pt"})
    print(f"{path}: {len(tensors)} tensors in fp32")
    return 0


if __name__ == "__main__":
    raise SystemExit(to_fp32(Path(sys.argv[1])) if len(sys.argv) == 2 else print(__doc__) or 2)
