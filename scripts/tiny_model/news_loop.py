"""The pretraining loop for the news encoder: time-budgeted, checkpointed, with snapshots for a curve.

A cut build loses at most ``ckpt_every_s`` of work: ``ckpt.pt`` (weights, optimiser, step, RNG states,
data order) is rewritten atomically, and a rerun with the same output folder resumes from it.
Snapshots of the encoder at fixed wall-time marks feed the card's "dev F1 against pretraining time".
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import torch

from .objectives import as_bert_mlm, batch_for, heldout_stats
from .masking import bf16_native, pack
from .model import save_tokenizer

HPARAMS = dict(batch_size=32, lr=5e-4, weight_decay=0.01, warmup_frac=0.06, grad_clip=1.0,
               seq_len=128, log_every=50, eval_every=500, ckpt_every_s=300.0, bf16=True)


def _groups(model, wd: float):
    no_decay = ("bias", "LayerNorm.weight")
    named = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    seen: set[int] = set()
    decay, plain = [], []
    for n, p in named:  # shared embeddings appear once
        if id(p) in seen:
            continue
        seen.add(id(p))
        (plain if n.endswith(no_decay) else decay).append(p)
    return [{"params": decay, "weight_decay": wd}, {"params": plain, "weight_decay": 0.0}]


def _save_atomic(obj, path: Path) -> None:
    tmp = path.with_suffix(".tmp")
    torch.save(obj, tmp)
    tmp.replace(path)


def save_encoder(objective, tokenizer, folder: Path) -> None:
    """The kept model as a transformers folder (fp32: within the 40 MB limit): the ELECTRA
    discriminator without its generator, or the MLM model (as BERT when it has BERT's shape)."""
    enc = objective.encoder()
    if objective.name == "mlm" and enc.config.embedding_size == enc.config.hidden_size:
        model = as_bert_mlm(objective)
    else:
        model = enc if objective.name == "rtd" else enc.electra
    tmp = folder.with_name(folder.name + ".tmp")
    tmp.mkdir(parents=True, exist_ok=True)
    model.config.dtype = "float32"
    model.save_pretrained(str(tmp), safe_serialization=True)
    save_tokenizer(tokenizer, tmp)
    if folder.exists():
        import shutil

        shutil.rmtree(folder)
    tmp.rename(folder)


def bf16_usable(device: str) -> bool:
    """bf16 autocast pays off on a CUDA GPU that has it and on a CPU with native bf16 (elsewhere the CPU
    emulates it, ~75x slower than fp32)."""
    if device.startswith("cuda"):
        return torch.cuda.is_available() and torch.cuda.is_bf16_supported()
    return bf16_native()


def _to(batch: dict, device: str) -> dict:
    return {k: v.to(device, non_blocking=True) for k, v in batch.items()}


def pretrain(objective, tokenizer, train_enc, held_enc, out: Path, *, seed: int, budget_s: float,
             max_steps: int | None = None, snapshot_every_s: float | None = None,
             hp: dict | None = None, device: str = "cpu") -> dict:
    """Train ``objective`` in place for ``budget_s`` seconds of wall time (or ``max_steps``, whichever
    comes first: the schedule follows the further of the two) on ``device``; returns the log."""
    hp = dict(HPARAMS, **(hp or {}))
    hp["bf16"] = bool(hp["bf16"]) and bf16_usable(device)
    kind = "cuda" if device.startswith("cuda") else "cpu"
    if kind == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True  # fp32 parts (optimizer, losses) on tensor cores
    objective.to(device)
    out.mkdir(parents=True, exist_ok=True)
    held_rng = np.random.RandomState(seed + 1)
    held_seqs = pack(held_enc, tokenizer, hp["seq_len"])[:512]
    held = [_to(batch_for(objective, held_seqs[i:i + 32], tokenizer, held_rng), device)
            for i in range(0, len(held_seqs), 32)]
    opt = torch.optim.AdamW(_groups(objective, hp["weight_decay"]), lr=hp["lr"], fused=kind == "cuda")
    rng = np.random.RandomState(seed)
    tgen = torch.Generator(device=device).manual_seed(seed)
    state = {"step": 0, "elapsed": 0.0, "epoch": 0, "order": [], "curve": [], "snapshots": []}
    ckpt = out / "ckpt.pt"
    if ckpt.is_file():  # resume a cut build
        saved = torch.load(ckpt, weights_only=False, map_location=device)
        objective.load_state_dict(saved["model"])
        opt.load_state_dict(saved["opt"])
        rng.set_state(saved["rng"])
        tgen.set_state(saved["tgen"])
        state = saved["state"]
        print(f"resumed at step {state['step']} ({state['elapsed']:.0f}s)", flush=True)
    else:
        state["before"] = heldout_stats(objective, held, seed, device)
        print(f"before: {state['before']}", flush=True)
    seqs = None

    def packing(epoch: int):
        """A new random packing each epoch (fixed packs get memorised as wholes); seeded per epoch so a
        resumed build rebuilds the same sequences."""
        perm = np.random.RandomState(seed + epoch).permutation(len(train_enc))
        return pack([train_enc[i] for i in perm], tokenizer, hp["seq_len"])

    def lr_at(progress: float) -> float:
        w = hp["warmup_frac"]
        return hp["lr"] * max(0.0, min(progress / w, (1 - progress) / (1 - w)))

    start = time.time() - state["elapsed"]
    last_ckpt = time.time()
    sums: dict[str, float] = {}
    summed = 0
    while True:
        state["elapsed"] = time.time() - start
        progress = max(state["elapsed"] / budget_s, state["step"] / max_steps if max_steps else 0.0)
        if progress >= 1.0:
            break
        if snapshot_every_s and state["elapsed"] >= snapshot_every_s * (len(state["snapshots"]) + 1):
            name = f"t{round(state['elapsed'] / 60):03d}min"
            save_encoder(objective, tokenizer, out / "snapshots" / name)
            state["snapshots"].append({"name": name, "step": state["step"],
                                       "elapsed_s": round(state["elapsed"], 1)})
        if seqs is None and state["order"]:  # resumed mid-epoch: rebuild that epoch's packing
            seqs = packing(state["epoch"])
        if len(state["order"]) < hp["batch_size"]:
            state["epoch"] += 1
            seqs = packing(state["epoch"])
            state["order"] = rng.permutation(len(seqs)).tolist()
        idx, state["order"] = state["order"][:hp["batch_size"]], state["order"][hp["batch_size"]:]
        for g in opt.param_groups:
            g["lr"] = lr_at(max(progress, 1e-4))
        objective.train()
        batch = _to(batch_for(objective, [seqs[i] for i in idx], tokenizer, rng), device)
        with torch.autocast(kind, dtype=torch.bfloat16, enabled=hp["bf16"]):
            loss, stats = objective.loss(batch, tgen)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(objective.parameters(), hp["grad_clip"])
        opt.step()
        state["step"] += 1
        for k, v in stats.items():
            sums[k] = sums.get(k, 0.0) + v
        summed += 1
        if state["step"] % hp["log_every"] == 0:
            point = {"step": state["step"], "epoch": state["epoch"], "lr": round(opt.param_groups[0]["lr"], 7),
                     "elapsed_s": round(time.time() - start, 1),
                     **{k: round(v / summed, 4) for k, v in sums.items()}}  # a resumed window is shorter
            sums, summed = {}, 0
            if state["step"] % hp["eval_every"] == 0:
                point["heldout"] = heldout_stats(objective, held, seed, device)
            state["curve"].append(point)
            print(json.dumps(point), flush=True)
        if time.time() - last_ckpt >= hp["ckpt_every_s"]:
            state["elapsed"] = time.time() - start
            _save_atomic({"model": objective.state_dict(), "opt": opt.state_dict(), "rng": rng.get_state(),
                          "tgen": tgen.get_state(), "state": state}, ckpt)
            last_ckpt = time.time()
    state["after"] = heldout_stats(objective, held, seed, device)
    print(f"after: {state['after']}", flush=True)
    return {"objective": objective.name, "hparams": hp, "steps": state["step"],
            "pretrain_wall_s": round(state["elapsed"], 1), "device": device,
            "tokens_seen": state["step"] * hp["batch_size"] * hp["seq_len"], "epochs": state["epoch"],
            "heldout_before": state.get("before"), "heldout_after": state["after"],
            "curve": state["curve"], "snapshots": state["snapshots"]}
