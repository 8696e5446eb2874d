#!/usr/bin/env bash
# Continue the embedded model's MLM pretraining on a lent GPU (the `device` tool's H200), in bf16, in
# one call. Its image has torch and transformers; nothing else is needed, since the prepared ids travel
# with the call. From this machine, after `python -m scripts.build_news_model prepare --tokenizer
# models/arabert-tiny --work build/news_text_tiny` (61 MB of ids):
#   run(command="bash scripts/news_model_device.sh 7", carry=["build/news_text_tiny"], timeout_s=590)
# then unpack: tar -xf <files_at>/model.tar -C build/ && .venv/bin/python -m scripts.model_fp32 build/gpu_model
# What comes back must be under 16 MiB a file, so the weights travel in fp16 (a tar of the folder).
set -euo pipefail
BUDGET_MIN=${1:-7}
export PYTHONPATH=src PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1
nvidia-smi --query-gpu=name,memory.total --format=csv | tee "$OUT/gpu.txt"
# 8x the CPU batch (32 -> 256 sequences of 128) with the learning rate scaled by sqrt(8): a 5M-parameter
# model leaves an H200 idle at batch 32.
python3 -m scripts.build_news_model pretrain --device cuda --objective mlm \
  --init-from models/arabert-mini-news --work build/news_text_tiny --out /tmp/gpu_model \
  --budget-min "$BUDGET_MIN" --batch-size 256 --lr 1.4e-3 --snapshot-every-min 2 2>&1 | tee "$OUT/log.txt"
python3 - <<'PY'
import torch
from safetensors.torch import load_file, save_file
path = "/tmp/gpu_model/model.safetensors"
save_file({k: v.half() for k, v in load_file(path).items()}, path, metadata={"format": "pt"})
PY
tar -cf "$OUT/model.tar" -C /tmp gpu_model
