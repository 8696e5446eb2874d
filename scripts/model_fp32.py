"""Turn a model folder's fp16 weights (as they come back from the GPU machine) into fp32, in place.

araft and the tests load the embedded model in fp32; the device tool returns files of at most 16 MiB,
so scripts/news_model_device.sh ships the weights in fp16.
Usage: .venv/bin/python -m scripts.model_fp32 build/gpu_model
"""
from __future__ import annotations

import argparse
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", type=Path, help="model folder holding model.safetensors")
    return to_fp32(ap.parse_args(argv).folder)


if __name__ == "__main__":
    raise SystemExit(main())
