"""benchmarks/gpu_check.py (`make gpu-check`): without CUDA it stops with one clear line; its
measuring loop and MFU arithmetic run on the CPU at a reduced shape. The GPU figures themselves
need a CUDA machine (docs/benchmarks.md, "GPU check")."""
from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from small_shapes import small_shape

from benchmarks import gpu_check

ROOT = Path(__file__).resolve().parents[1]


def test_without_cuda_it_exits_with_one_clear_line():
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a CUDA GPU")
    env = {**os.environ, "CUDA_VISIBLE_DEVICES": ""}
    proc = subprocess.run([sys.executable, "-m", "benchmarks.gpu_check"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("gpu-check: no CUDA GPU was found"), proc.stderr
    assert proc.stdout == ""


def test_peaks_by_device_name():
    assert gpu_check.peak_tflops("NVIDIA H100 80GB HBM3") == 989.0
    assert gpu_check.peak_tflops("NVIDIA H100 PCIe") == 756.0
    assert gpu_check.peak_tflops("NVIDIA H200") == 989.0
    assert gpu_check.peak_tflops("NVIDIA A100-SXM4-80GB") == 312.0
    assert gpu_check.peak_tflops("NVIDIA L40S") == 362.0
    assert gpu_check.peak_tflops("Tesla T4") is None


@pytest.mark.parametrize("precision", ["fp32", "bf16"])
def test_measuring_loop_on_cpu_at_a_reduced_shape(tmp_path, precision):
    import torch
    from transformers import AutoConfig

    config = AutoConfig.from_pretrained(small_shape(tmp_path, vocab=500), num_labels=9)
    ids = torch.randint(5, 500, (4, 64), generator=torch.Generator().manual_seed(0))
    labels = torch.randint(0, 9, ids.shape, generator=torch.Generator().manual_seed(1))
    r = gpu_check.measure(config, ids, labels, precision=precision, steps=2, warmup=1, batch=2,
                          device="cpu")
    assert r["tokens_per_s"] > 0 and r["seq_len"] == 64 and r["peak_gpu_gib"] is None
    assert math.isfinite(r["loss_first"]) and math.isfinite(r["loss_last"])
    embeddings = 500 * 64 + 512 * 64 + 2 * 64 + 2 * 64  # word, position, type, LayerNorm
    per_token = gpu_check.flops_per_token(config, r["params"], embeddings, 64)
    assert r["model_tflops"] == pytest.approx(per_token * r["tokens_per_s"] / 1e12)


def test_full_windows_of_anercorp_text(tmp_path):
    from transformers import AutoTokenizer

    from araft.standin import build_standin

    folder = build_standin(small_shape(tmp_path, vocab=2000), ["قال", "محمد", "Google"], tmp_path)
    tok = AutoTokenizer.from_pretrained(folder)
    ids, labels = gpu_check.windows(tok, 3, 64)
    assert tuple(ids.shape) == (3, 64) == tuple(labels.shape)
    assert (ids[:, 0] == tok.cls_token_id).all() and (ids[:, -1] == tok.sep_token_id).all()
    assert (labels[:, 0] == -100).all() and (labels[:, 1:-1] >= 0).all()


def test_the_check_reads_the_gpu_preset():
    preset = gpu_check.gpu_preset()
    assert preset.precision == "bf16" and preset.tf32 and preset.optim == "adamw_torch_fused"
