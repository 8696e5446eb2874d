"""Builds and runs the transformers Trainer for a TrainConfig and what a task prepared (Prepared);
returns the trained model. Knows no task: heads, losses and dev metrics come in Prepared."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

from araft.checkpoints import MARKER, marker_callback  # noqa: F401  (MARKER: re-exported)
from araft.config import TrainConfig, TrainerConfig
from araft.encoding import PadCollator
from araft.headsfirst import heads_first_callbacks

log = logging.getLogger(__name__)


@dataclass
class Finalized:
    """What a task finds after training, saved with the model."""
    settings: dict[str, Any] = field(default_factory=dict)  # into config.json (e.g. thresholds)
    # the predictor's keyword arguments read from files beside the weights (Predictor.companions),
    # each with save(folder) (e.g. tfidf: a TfidfModel)
    companions: dict[str, Any] = field(default_factory=dict)
    # what the choices rested on, for the report (metrics.json "finalized"; e.g. the TF-IDF blend's
    # dev micro F1 at each weight)
    record: dict[str, Any] = field(default_factory=dict)


@dataclass
class Prepared:
    """What a task hands to the trainer: model, features and the dev metric."""
    model: Any
    tokenizer: Any
    train_features: Any
    dev_features: Any | None
    compute_metrics: Callable | None
    metric_name: str | None        # e.g. "f1" -> "eval_f1" selects the best model
    preprocess_logits: Callable | None = None
    trainer_cls: type | None = None          # e.g. a Trainer with a weighted loss
    # Called with the trained Trainer: what training found besides the weights (Finalized).
    finalize: Callable[[Any], "Finalized"] | None = None
    # Loss normalised by the global number of labelled items (e.g. tasks.ner.train.token_loss).
    compute_loss_func: Callable | None = None
    data_collator: Callable | None = None  # default PadCollator; claims batches label vectors
    callbacks: list = field(default_factory=list)  # the task's own (e.g. a loss-weight schedule)


def training_arguments(tc: TrainerConfig, *, output_dir: Path, seed: int, has_dev: bool,
                       metric_name: str | None):
    import torch
    from transformers import TrainingArguments

    cuda = torch.cuda.is_available()
    bf16 = tc.precision == "bf16" and (cuda and torch.cuda.is_bf16_supported() or not cuda)
    eval_strategy = tc.eval_strategy if has_dev else "no"
    save_strategy = tc.save_strategy if has_dev else tc.save_strategy
    select = has_dev and metric_name is not None and eval_strategy != "no"
    return TrainingArguments(
        output_dir=str(output_dir),
        learning_rate=tc.lr,
        num_train_epochs=tc.epochs,
        max_steps=tc.max_steps,
        per_device_train_batch_size=tc.batch_size,
        per_device_eval_batch_size=tc.eval_batch_size,
        gradient_accumulation_steps=tc.grad_accum,
        warmup_steps=tc.warmup_ratio,  # a float < 1 is a ratio of the total steps in transformers 5
        weight_decay=tc.weight_decay,
        lr_scheduler_type=tc.scheduler,
        eval_strategy=eval_strategy,
        eval_steps=tc.eval_steps,
        save_strategy=save_strategy,
        save_steps=tc.save_steps,
        save_total_limit=None,  # araft rotates after marking (araft.checkpoints)
        logging_strategy="steps",
        logging_steps=tc.logging_steps,
        logging_first_step=True,
        load_best_model_at_end=select and save_strategy == eval_strategy,
        metric_for_best_model=metric_name if select else None,
        greater_is_better=(metric_name != "loss") if select else None,
        seed=seed,
        data_seed=seed,
        bf16=bf16,
        fp16=tc.precision == "fp16" and cuda,
        tf32=tc.tf32 if cuda else None,
        optim=tc.optim,
        torch_compile=tc.torch_compile,
        dataloader_num_workers=tc.dataloader_workers,
        report_to="none",
        disable_tqdm=False,
        remove_unused_columns=True,
        save_only_model=False,
        use_cpu=not cuda,
        # no ddp_backend: accelerate picks NCCL for GPU workers and gloo for CPU ones itself
        ddp_find_unused_parameters=tc.find_unused_parameters,
        train_sampling_strategy=("sequential" if not tc.shuffle
                                 else "group_by_length" if tc.group_by_length else "random"),
    )


def run_trainer(cfg: TrainConfig, prepared: Prepared, run_root: Path, *,
                resume_from: str | None = None, callbacks: list | None = None):
    """Train; returns (trainer, train_output). The best model is loaded at the end when a dev
    metric selects it."""
    from transformers import EarlyStoppingCallback, Trainer

    has_dev = prepared.dev_features is not None and len(prepared.dev_features) > 0
    args = training_arguments(cfg.trainer, output_dir=run_root / "checkpoints", seed=cfg.seed,
                              has_dev=has_dev, metric_name=prepared.metric_name)
    marker = marker_callback(cfg.trainer.save_total_limit)
    if resume_from:
        from araft.checkpoints import read_marker

        marker.prior_loss = read_marker(resume_from).get("loss_sum") or 0.0
    cbs = [marker, *heads_first_callbacks(cfg.trainer.heads_first), *(callbacks or [])]
    if has_dev and cfg.trainer.early_stopping_patience > 0 and args.load_best_model_at_end:
        cbs.append(EarlyStoppingCallback(early_stopping_patience=cfg.trainer.early_stopping_patience))
    trainer = in_order_evaluation(prepared.trainer_cls or Trainer)(
        model=prepared.model,
        args=args,
        data_collator=prepared.data_collator or PadCollator(prepared.tokenizer.pad_token_id),
        train_dataset=prepared.train_features,
        eval_dataset=prepared.dev_features if has_dev else None,
        processing_class=prepared.tokenizer,
        compute_metrics=prepared.compute_metrics if has_dev else None,
        preprocess_logits_for_metrics=prepared.preprocess_logits,
        compute_loss_func=prepared.compute_loss_func,
        callbacks=cbs,
    )
    marker.trainer = trainer  # for the running loss sum it writes into each marker
    output = trainer.train(resume_from_checkpoint=resume_from)
    return trainer, output


def in_order_evaluation(trainer_cls: type) -> type:
    """The Trainer class, evaluating in dataset order. transformers 5 length-groups the evaluation
    order too when training groups by length; dev metrics read predictions back in dataset order."""
    from torch.utils.data import SequentialSampler

    class InOrderEvaluation(trainer_cls):
        def _get_eval_sampler(self, eval_dataset):
            if eval_dataset is None:
                return None
            # several processes: None lets accelerate shard in order, as transformers does
            return SequentialSampler(eval_dataset) if self.args.world_size <= 1 else None

    InOrderEvaluation.__name__ = trainer_cls.__name__
    return InOrderEvaluation


def set_seed(seed: int) -> None:
    from transformers import set_seed as hf_set_seed

    hf_set_seed(seed)
    np.random.seed(seed)
