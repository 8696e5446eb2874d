"""Whole-word-masking MLM pretraining on CPU: packing, masking, a plain seeded loop, evaluation."""
from __future__ import annotations

import math
import time

import numpy as np
import torch

from .masking import MASK_RATE, SEQ_LEN, bf16_native, encode, mask_batch, pack  # noqa: F401 (re-exported)

# Why 40% masks, bf16, re-packing and dropout 0.1 (trials at equal wall time, with figures): the
# "Why these settings" paragraph of the model card, written by tiny_model/tiny_card.py.
HPARAMS = dict(batch_size=16, lr=1e-3, weight_decay=0.01, warmup_frac=0.04, max_steps=8000,
               pretrain_dropout=0.1, repack_each_epoch=True, bf16=True,
               grad_clip=1.0, log_every=25, eval_every=100, seq_len=SEQ_LEN, mask_rate=0.4)


def masked_loss(model, batch, reduction: str = "mean") -> torch.Tensor:
    """MLM cross-entropy on masked positions only: the 10k-way head runs on 15% of tokens, not all."""
    hidden = model.bert(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"])[0]
    sel = batch["labels"] != -100
    logits = model.cls(hidden[sel])
    return torch.nn.functional.cross_entropy(logits, batch["labels"][sel], reduction=reduction)


def heldout_batches(seqs, tokenizer, seed: int, batch_size: int = 32):
    """Fixed masks (own seed) so the loss before and after pretraining is measured on the same task."""
    rng = np.random.RandomState(seed)
    return [mask_batch(seqs[i:i + batch_size], tokenizer, rng) for i in range(0, len(seqs), batch_size)]


@torch.no_grad()
def heldout_loss(model, batches) -> float:
    model.eval()
    total, n = 0.0, 0
    for b in batches:
        total += masked_loss(model, b, reduction="sum").item()
        n += int((b["labels"] != -100).sum())
    return total / n


@torch.no_grad()
def pseudo_perplexity(model, tokenizer, encoded, max_sentences: int = 120, max_tokens: int = 64,
                      batch_size: int = 64) -> float:
    """Salazar et al. (2020) PPPL: mask each token alone, score it; exp of the mean negative log-lik."""
    model.eval()
    nll, count = 0.0, 0
    rows: list[tuple[list[int], int]] = []
    for ids, _ in encoded[:max_sentences]:
        full = [tokenizer.cls_token_id] + ids[:max_tokens] + [tokenizer.sep_token_id]
        rows.extend((full, pos) for pos in range(1, len(full) - 1))
    for i in range(0, len(rows), batch_size):
        chunk = rows[i:i + batch_size]
        width = max(len(r[0]) for r in chunk)
        ids = torch.full((len(chunk), width), tokenizer.pad_token_id)
        att = torch.zeros((len(chunk), width), dtype=torch.long)
        labels = torch.full((len(chunk), width), -100)
        for j, (full, pos) in enumerate(chunk):
            ids[j, :len(full)] = torch.tensor(full)
            att[j, :len(full)] = 1
            labels[j, pos] = full[pos]
            ids[j, pos] = tokenizer.mask_token_id
        b = {"input_ids": ids, "attention_mask": att, "labels": labels}
        nll += masked_loss(model, b, reduction="sum").item()
        count += len(chunk)
    return math.exp(nll / count)


def evaluate(model, tokenizer, held_batches, held_encoded) -> dict:
    loss = heldout_loss(model, held_batches)
    return {"mlm_loss": loss, "mlm_perplexity": math.exp(loss),
            "pseudo_perplexity": pseudo_perplexity(model, tokenizer, held_encoded)}


def _set_dropout(model, p: float | None) -> None:
    """Set every dropout layer to ``p``; None restores the rates in the model's config."""
    for name, mod in model.named_modules():
        if isinstance(mod, torch.nn.Dropout):
            default = (model.config.attention_probs_dropout_prob if "attention.self" in name
                       else model.config.hidden_dropout_prob)
            mod.p = default if p is None else p


def pretrain(model, tokenizer, train_sents, held_sents, seed: int, budget_s: float,
             max_steps: int | None = None, hp: dict | None = None) -> dict:
    """Train in place; returns the log (curve, held-out metrics before/after, wall time, hyper-params)."""
    hp = dict(HPARAMS, **(hp or {}))
    _set_dropout(model, hp["pretrain_dropout"])  # restored before returning: config keeps 0.1
    steps = max_steps or hp["max_steps"]
    hp["max_steps"] = steps
    hp["bf16"] = bool(hp["bf16"]) and bf16_native()
    train_enc = encode(tokenizer, train_sents)
    train_seqs = pack(train_enc, tokenizer, hp["seq_len"])
    held_enc = encode(tokenizer, held_sents)
    held_batches = heldout_batches(pack(held_enc, tokenizer, hp["seq_len"]), tokenizer, seed + 1)
    print(f"{len(train_seqs)} packed training sequences, {sum(len(s[0]) for s in train_seqs)} tokens",
          flush=True)
    t0 = time.time()
    before = evaluate(model, tokenizer, held_batches, held_enc)
    print(f"before: {before} ({time.time() - t0:.0f}s)", flush=True)

    no_decay = ("bias", "LayerNorm.weight")
    groups = [{"params": [p for n, p in model.named_parameters() if not n.endswith(no_decay)],
               "weight_decay": hp["weight_decay"]},
              {"params": [p for n, p in model.named_parameters() if n.endswith(no_decay)],
               "weight_decay": 0.0}]
    opt = torch.optim.AdamW(groups, lr=hp["lr"])

    def lr_at(progress: float) -> float:
        """Linear warm-up then linear decay to 0 over ``progress`` in [0, 1]."""
        w = hp["warmup_frac"]
        return hp["lr"] * max(0.0, min(progress / w, (1 - progress) / (1 - w)))

    rng = np.random.RandomState(seed)
    curve: list[dict] = []
    order: list[int] = []
    step, run_loss, run_n, epoch = 0, 0.0, 0, 0
    start = time.time()
    stopped = ""
    # Progress is steps done or wall time spent, whichever is further: on a quiet machine the run is
    # step-bound (and repeatable); on a busy one it still decays its learning rate to 0 within budget.
    progress = 0.0
    while progress < 1.0:
        for g in opt.param_groups:
            g["lr"] = lr_at(max(progress, 0.5 / steps))
        if len(order) < hp["batch_size"]:
            if hp["repack_each_epoch"] and epoch > 0:
                # new neighbours for every sentence each epoch: fixed packs get memorised as wholes
                train_seqs = pack([train_enc[i] for i in rng.permutation(len(train_enc))], tokenizer,
                                  hp["seq_len"])
                order = []
            order.extend(rng.permutation(len(train_seqs)).tolist())  # a fresh shuffle per epoch
            epoch += 1
        idx, order = order[:hp["batch_size"]], order[hp["batch_size"]:]
        model.train()
        batch = mask_batch([train_seqs[i] for i in idx], tokenizer, rng, hp["mask_rate"])
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=hp["bf16"]):
            loss = masked_loss(model, batch)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), hp["grad_clip"])
        opt.step()
        step += 1
        by_time = (time.time() - start) / budget_s
        progress = max(step / steps, by_time)
        stopped = "time budget" if by_time > step / steps else "max_steps"
        run_loss, run_n = run_loss + loss.item(), run_n + 1
        last = progress >= 1.0
        if step % hp["log_every"] == 0 or last:
            point = {"step": step, "epoch": epoch, "train_loss": run_loss / run_n,
                     "lr": opt.param_groups[0]["lr"], "elapsed_s": round(time.time() - start, 1)}
            if step % hp["eval_every"] == 0 or last:
                point["heldout_loss"] = heldout_loss(model, held_batches)
            curve.append(point)
            print(point, flush=True)
            run_loss, run_n = 0.0, 0
    wall = time.time() - start
    _set_dropout(model, None)
    after = evaluate(model, tokenizer, held_batches, held_enc)
    print(f"after: {after}", flush=True)
    return {"hparams": hp, "steps": step, "stopped_by": stopped, "pretrain_wall_s": round(wall, 1),
            "tokens_seen": step * hp["batch_size"] * hp["seq_len"], "train_sequences": len(train_seqs),
            "heldout_before": before, "heldout_after": after, "curve": curve}
