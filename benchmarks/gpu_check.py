"""`make gpu-check`: the base shape fine-tuned on one CUDA GPU in bf16 and in fp32.

    python -m benchmarks.gpu_check [--shape arabertv02-base] [--steps 30] [--batch 32] [--compile]

The model is the published shape (araft/shapes) from random weights with its stand-in tokenizer
(araft/standin.py), fed full 512-token windows of bundled ANERcorp text with random tags, so every
step has the same shape and the figures compare. For each precision it runs warm-up steps, then
times ``--steps`` optimizer steps between two CUDA synchronisations and prints tokens/s, peak GPU
memory and the model FLOPs utilisation (MFU): the model's training FLOPs per token (6 x the
non-embedding parameters, plus attention's 12 x layers x hidden x sequence length) x tokens/s,
over the GPU's dense bf16 peak from PEAK_BF16_TFLOPS (the same denominator for the fp32 row, so the
two rows compare). The settings are those of `trainer=gpu` (read from the preset): bf16 autocast,
TF32 matmuls (off in the fp32 row, which is plain fp32), fused AdamW, and torch.compile when the
preset or --compile asks. 2 x 35 steps of 32 x 512 tokens should take about a minute on an H100
(not yet run on one); `make gpu-check` stops it after 8 minutes.
Without a CUDA GPU it prints one line saying so and exits with status 2.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ANER_TRAIN = ROOT / "data" / "anercorp" / "train.conll"
NUM_TAGS = 9  # B-/I- of ANERcorp's four types, and O
# Dense (no sparsity) bf16 tensor-core peaks from NVIDIA's data sheets, by device-name substring;
# the first match wins, so the more specific names come first.
PEAK_BF16_TFLOPS = (
    ("H200", 989.0), ("H100 PCIe", 756.0), ("H100 NVL", 835.0), ("H100", 989.0),
    ("A100", 312.0), ("L40S", 362.0), ("L4", 121.0),
)


def peak_tflops(device_name: str) -> float | None:
    for key, peak in PEAK_BF16_TFLOPS:
        if key in device_name:
            return peak
    return None


def flops_per_token(config, n_params: int, embedding_params: int, seq_len: int) -> float:
    """Training FLOPs per token: forward + backward of the weight matmuls (6 N, embeddings are
    lookups) and of attention's scores and weighted sums (12 x layers x hidden x sequence)."""
    return (6.0 * (n_params - embedding_params)
            + 12.0 * config.num_hidden_layers * config.hidden_size * seq_len)


def windows(tokenizer, n: int, seq_len: int, seed: int = 0):
    """``n`` full windows of ANERcorp token ids ([CLS] ... [SEP]) with random tags."""
    import torch

    from araft.corpus.formats import read_articles

    text = " ".join(a.text for a in read_articles(str(ANER_TRAIN), "conll"))
    ids = tokenizer(text, add_special_tokens=False)["input_ids"]
    body = seq_len - 2
    need = n * body
    ids = (ids * (need // max(len(ids), 1) + 1))[:need]
    rows = torch.tensor(ids).view(n, body)
    cls = torch.full((n, 1), tokenizer.cls_token_id)
    sep = torch.full((n, 1), tokenizer.sep_token_id)
    input_ids = torch.cat([cls, rows, sep], dim=1)
    labels = torch.randint(0, NUM_TAGS, input_ids.shape, generator=torch.Generator().manual_seed(seed))
    labels[:, 0] = labels[:, -1] = -100
    return input_ids, labels


PREPROCESS = {"camelbert-msa": "none", "araelectra-base": "araelectra"}  # else arabertv02


def standin(shape: str):
    """The shape's config and stand-in tokenizer, built from ANERcorp's words (cached)."""
    from transformers import AutoConfig, AutoTokenizer

    from araft.corpus.formats import read_articles
    from araft.corpus.segment import split_words
    from araft.preprocessing import WordPreprocessor
    from araft.standin import build_standin, shape_dir

    words = [w.text for a in read_articles(str(ANER_TRAIN), "conll") for w in split_words(a.text)]
    pre = WordPreprocessor(PREPROCESS.get(shape, "arabertv02"))
    built = build_standin(shape_dir(shape), pre.many(words), ROOT / ".cache" / "araft")
    config = AutoConfig.from_pretrained(built, num_labels=NUM_TAGS)
    return config, AutoTokenizer.from_pretrained(built)


def measure(config, input_ids, labels, *, precision: str, steps: int, warmup: int, batch: int,
            device: str = "cuda", compile_model: bool = False, tf32: bool = True,
            fused: bool = True) -> dict:
    """Fine-tune a fresh random-weight model for warmup + steps optimizer steps; time the last
    ``steps``. ``precision``: "bf16" (autocast) or "fp32"."""
    import torch
    from transformers import AutoModelForTokenClassification

    cuda = device == "cuda"
    if cuda:
        torch.backends.cuda.matmul.allow_tf32 = tf32 and precision == "bf16"
        torch.backends.cudnn.allow_tf32 = tf32 and precision == "bf16"
    torch.manual_seed(0)
    model = AutoModelForTokenClassification.from_config(config).to(device).train()
    n_params = sum(p.numel() for p in model.parameters())
    emb = sum(p.numel() for n, p in model.named_parameters() if "embeddings" in n)
    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-5, fused=fused and cuda)
    step_fn = torch.compile(model) if compile_model else model
    seq = input_ids.shape[1]
    losses = []

    def one_step(k: int) -> None:
        rows = [(k * batch + j) % len(input_ids) for j in range(batch)]
        x, y = input_ids[rows].to(device), labels[rows].to(device)
        with torch.autocast(device_type=device, dtype=torch.bfloat16, enabled=precision == "bf16"):
            loss = step_fn(input_ids=x, attention_mask=torch.ones_like(x), labels=y).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        losses.append(loss.detach())

    for k in range(warmup):
        one_step(k)
    if cuda:
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
    t0 = time.perf_counter()
    for k in range(warmup, warmup + steps):
        one_step(k)
    if cuda:
        torch.cuda.synchronize()
    seconds = time.perf_counter() - t0
    tokens_per_s = steps * batch * seq / seconds
    return {"precision": precision, "params": n_params, "seq_len": seq, "batch": batch,
            "steps": steps, "s_per_step": seconds / steps, "tokens_per_s": tokens_per_s,
            "model_tflops": flops_per_token(config, n_params, emb, seq) * tokens_per_s / 1e12,
            "peak_gpu_gib": torch.cuda.max_memory_allocated() / 2**30 if cuda else None,
            "loss_first": float(losses[0]), "loss_last": float(losses[-1])}


def gpu_preset():
    """The `trainer=gpu` settings, so the check measures what a user's run gets."""
    from araft.config import compose

    return compose(["trainer=gpu"], root=str(ROOT)).trainer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.gpu_check", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shape", default="arabertv02-base")
    parser.add_argument("--precisions", default="bf16,fp32")
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--seq", type=int, default=512)
    parser.add_argument("--compile", action="store_true", help="torch.compile the model")
    args = parser.parse_args(argv)

    import torch

    if not torch.cuda.is_available():
        print("gpu-check: no CUDA GPU was found (torch.cuda.is_available() is False; torch "
              f"{torch.__version__}); run it on a machine with an NVIDIA GPU and a CUDA build of "
              "torch", file=sys.stderr)
        return 2
    preset = gpu_preset()
    compile_model = args.compile or preset.torch_compile
    name = torch.cuda.get_device_name(0)
    peak = peak_tflops(name)
    config, tokenizer = standin(args.shape)
    n_windows = max(args.batch * 4, 64)
    input_ids, labels = windows(tokenizer, n_windows, args.seq)
    print(f"gpu-check: {name}, torch {torch.__version__}, shape {args.shape} "
          f"(random weights, stand-in tokenizer), batch {args.batch} x {args.seq} tokens, "
          f"{args.warmup} warm-up + {args.steps} timed steps"
          + (", torch.compile" if compile_model else ""))
    print(f"{'precision':<10}{'tokens/s':>12}{'s/step':>9}{'model TFLOPS':>14}{'MFU':>8}"
          f"{'peak GPU GiB':>14}{'loss first->last':>20}")
    for precision in args.precisions.split(","):
        r = measure(config, input_ids, labels, precision=precision, steps=args.steps,
                    warmup=args.warmup, batch=args.batch, compile_model=compile_model,
                    tf32=preset.tf32, fused=preset.optim == "adamw_torch_fused")
        mfu = f"{100 * r['model_tflops'] / peak:.1f}%" if peak else "n/a"
        print(f"{precision:<10}{r['tokens_per_s']:>12,.0f}{r['s_per_step']:>9.3f}"
              f"{r['model_tflops']:>14.1f}{mfu:>8}{r['peak_gpu_gib']:>14.1f}"
              f"{r['loss_first']:>11.3f} -> {r['loss_last']:.3f}")
        torch.cuda.empty_cache()
    if peak:
        print(f"MFU: against {name}'s dense bf16 peak of {peak:.0f} TFLOPS (fp32 row too)")
    else:
        print(f"MFU: no bf16 peak known for {name!r} (benchmarks/gpu_check.py PEAK_BF16_TFLOPS)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
