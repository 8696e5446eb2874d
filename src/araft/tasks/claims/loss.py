"""Class imbalance in claims training: per-label loss weights from the train split, and a Trainer
whose loss applies them."""
from __future__ import annotations

import logging
from typing import Sequence

import numpy as np

log = logging.getLogger(__name__)


def loss_weights(gold: np.ndarray, labels: Sequence[str], multi_label: bool) -> list[float]:
    """Multi-label: per-label pos_weight = negatives / positives (BCE). Single label: balanced
    class weights n / (n_classes * count) (cross-entropy). A label absent from train weighs 1."""
    pos = gold.sum(axis=0).astype(np.float64)
    n = len(gold)
    for name, p in zip(labels, pos):
        if p == 0:
            log.warning("label %r never occurs in train: it cannot be learned (weight 1)", name)
    if multi_label:
        w = np.where(pos > 0, (n - pos) / np.maximum(pos, 1), 1.0)
    else:
        w = np.where(pos > 0, n / (len(labels) * np.maximum(pos, 1)), 1.0)
    return [round(float(x), 6) for x in w]


def weighted_trainer(weights: Sequence[float], multi_label: bool) -> type:
    """A Trainer whose loss weighs labels: BCEWithLogits(pos_weight) or CrossEntropy(weight)."""
    import torch
    from transformers import Trainer

    class WeightedLossTrainer(Trainer):
        loss_weights = torch.tensor(list(weights), dtype=torch.float32)
        loss_is_scaled_for_ga = False  # a mean over the batch, not normalised by item counts

        def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
            labels = inputs["labels"]
            outputs = model(**{k: v for k, v in inputs.items() if k != "labels"})
            logits = outputs.logits
            w = self.loss_weights.to(device=logits.device, dtype=logits.dtype)
            if multi_label:
                loss = torch.nn.functional.binary_cross_entropy_with_logits(
                    logits, labels.to(logits.dtype), pos_weight=w)
            else:
                loss = torch.nn.functional.cross_entropy(logits, labels, weight=w)
            return (loss, outputs) if return_outputs else loss

    return WeightedLossTrainer
