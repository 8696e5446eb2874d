"""Typed configuration: Hydra composes YAML, `from_dictconfig` turns it into these objects once.

Code below the CLI takes these dataclasses (or plain arguments), never raw dicts or global state.
"""
from __future__ import annotations

import dataclasses
import secrets
from dataclasses import dataclass, field
from typing import Any

from araft.errors import ConfigError


@dataclass(frozen=True)
class ModelConfig:
    name: str
    name_or_path: str
    preprocess: str
    max_length: int = 128
    stride: int = 16
    dropout: float | None = None  # None keeps the pretrained config's dropout
    random_init: bool = False     # same architecture, weights not loaded (ablations)
    shape: str | None = None      # the published architecture in araft/shapes/<shape> (offline)
    standin: bool = False         # train `shape` from random weights with a stand-in tokenizer


def load_model(auto_cls: Any, model: ModelConfig, **kwargs: Any) -> Any:
    """``auto_cls.from_pretrained`` for the model config, or the same architecture from random
    weights when ``model.random_init`` (the baseline that shows what pretraining buys)."""
    kwargs.update(dropout_overrides(model))
    if not model.random_init:
        from araft.loadreport import from_pretrained_quietly

        return from_pretrained_quietly(auto_cls, model.name_or_path, **kwargs)
    from transformers import AutoConfig

    config = AutoConfig.from_pretrained(model.name_or_path, **kwargs)
    return auto_cls.from_config(config)


def dropout_overrides(model: ModelConfig) -> dict[str, float]:
    """from_pretrained kwargs that set BERT/ELECTRA dropout, when the config asks for it."""
    if model.dropout is None:
        return {}
    return {"hidden_dropout_prob": model.dropout, "attention_probs_dropout_prob": model.dropout}


@dataclass(frozen=True)
class DataConfig:
    name: str
    train: str
    dev: str | None = None
    test: str | None = None
    format: str | None = None
    # null empties what a data config set (`data.extra_eval={}` becomes null: normalize_overrides);
    # once built, both are always dicts.
    extra_eval: dict[str, str] | None = field(default_factory=dict)
    # More train files by name (task=joint): each feeds the losses of the layers it annotates,
    # e.g. ANERcorp (entities only) beside the claims corpus (both layers).
    extra_train: dict[str, str] | None = field(default_factory=dict)
    label_map: dict[str, str] | None = field(default_factory=dict)
    entity_labels: tuple[str, ...] | None = None
    sentence_labels: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        for name in ("extra_eval", "extra_train", "label_map"):
            object.__setattr__(self, name, dict(getattr(self, name) or {}))


@dataclass(frozen=True)
class TaskConfig:
    name: str = "ner"
    # The araft.tasks.base.Task class (configs/task/*.yaml); None: the task registered as `name`.
    _target_: str | None = None
    multi_label: bool = True
    context: int = 0
    # claims, joint: at most this many context words on each side, the nearest (None: as many as fit)
    context_words: int | None = None
    pos_weight: bool = True
    tune_thresholds: bool = True
    # What the tuned thresholds maximise on dev: each label's own F1 ("label_f1"), or the micro F1
    # over all labels together ("micro_f1", which keeps a rare, hard label from flooding the rest).
    threshold_objective: str = "label_f1"
    # claims, joint: fit TF-IDF + logistic regression on train beside the encoder and blend their
    # sentence scores, TF-IDF's weight chosen on dev with the thresholds (tasks.claims.blend)
    tfidf_blend: bool = False
    tfidf_context: bool = False  # with tfidf_blend: TF-IDF also reads the article (tasks.claims.tfidf_context)
    sentence_loss_weight: float = 1.0  # joint: the sentence BCE's weight beside the token loss
    # joint: "constant", or "linear": the weight decays to 0 by the last step (tasks.joint.schedule)
    sentence_loss_schedule: str = "constant"


@dataclass(frozen=True)
class TrainerConfig:
    lr: float = 5e-5
    epochs: float = 3
    max_steps: int = -1
    batch_size: int = 32
    eval_batch_size: int = 64
    grad_accum: int = 1
    warmup_ratio: float = 0.1
    weight_decay: float = 0.01
    scheduler: str = "linear"
    eval_strategy: str = "epoch"
    eval_steps: int | None = None
    save_strategy: str = "epoch"
    save_steps: int | None = None
    save_total_limit: int | None = 2
    logging_steps: int = 20
    early_stopping_patience: int = 3
    precision: str = "fp32"
    processes: int = 1
    group_by_length: bool = False
    shuffle: bool = True
    torch_compile: bool = False
    tf32: bool = False
    optim: str = "adamw_torch_fused"
    dataloader_workers: int = 0
    find_unused_parameters: bool = False
    bootstrap: int = 1000
    heads_first: float = 0.0    # fraction of the steps that train the heads alone (araft.headsfirst)
    empty_dev: str = "refuse"   # a dev split without gold: "refuse" or "loss" (araft.selection)


@dataclass(frozen=True)
class TrackingConfig:
    backend: str = "tensorboard"
    uri: str | None = None
    project: str | None = None   # wandb: the W&B project (None: the experiment name)
    mode: str | None = None      # wandb: online | offline | disabled (None: WANDB_MODE)


@dataclass(frozen=True)
class PathsConfig:
    root: str
    output_root: str
    data_dir: str
    models_dir: str
    shared_data: str
    cache_dir: str


@dataclass(frozen=True)
class TrainConfig:
    task: TaskConfig
    model: ModelConfig
    data: DataConfig
    trainer: TrainerConfig
    tracking: TrackingConfig
    paths: PathsConfig
    experiment_name: str
    seed: int = 42
    resume: str | None = None
    prepare_only: bool = False


SECTIONS = {"task": TaskConfig, "model": ModelConfig, "data": DataConfig,
            "trainer": TrainerConfig, "tracking": TrackingConfig, "paths": PathsConfig}
PRECISIONS = {"fp32", "bf16", "fp16"}
TRACKERS = {"tensorboard", "mlflow", "wandb", "none"}


def _build(cls: type, values: dict[str, Any], section: str) -> Any:
    known = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ConfigError(f"unknown key(s) in config group '{section}': {', '.join(unknown)}")
    kwargs = {}
    for name, value in values.items():
        if isinstance(value, list):
            value = tuple(value)
        kwargs[name] = value
    try:
        return cls(**kwargs)
    except TypeError as err:
        raise ConfigError(f"config group '{section}': {err}") from None


def from_dict(cfg: dict[str, Any]) -> TrainConfig:
    """Plain (resolved) dict -> TrainConfig, checking keys and the few closed vocabularies."""
    cfg = {k: v for k, v in cfg.items() if k != "hydra"}
    sections = {name: _build(cls, dict(cfg.get(name) or {}), name) for name, cls in SECTIONS.items()}
    rest = {k: v for k, v in cfg.items() if k not in SECTIONS}
    out = _build(TrainConfig, {**rest, **sections}, "train")
    if out.trainer.precision not in PRECISIONS:
        raise ConfigError(f"trainer.precision must be one of {sorted(PRECISIONS)}, "
                          f"got {out.trainer.precision!r}")
    if out.tracking.backend not in TRACKERS:
        raise ConfigError(f"tracking.backend must be one of {sorted(TRACKERS)}, "
                          f"got {out.tracking.backend!r}")
    if out.trainer.empty_dev not in {"refuse", "loss"}:
        raise ConfigError(f"trainer.empty_dev must be 'refuse' or 'loss', got {out.trainer.empty_dev!r}")
    heads_first = out.trainer.heads_first
    if not 0 <= heads_first < 1:
        raise ConfigError("trainer.heads_first must be a fraction of the steps in [0, 1), "
                          f"got {heads_first!r}")
    if heads_first and out.trainer.processes > 1:  # DDP fixes the trained parameters when it wraps the model
        raise ConfigError("trainer.heads_first needs one process (trainer.processes=1): several "
                          "processes cannot freeze the encoder for part of the run")
    from araft.tasks.claims.thresholds import OBJECTIVES
    from araft.tasks.joint.schedule import SCHEDULES
    from araft.tasks.registry import task_from_config

    if out.task.threshold_objective not in OBJECTIVES:
        raise ConfigError(f"task.threshold_objective must be one of {list(OBJECTIVES)}, "
                          f"got {out.task.threshold_objective!r}")
    if out.task.sentence_loss_schedule not in SCHEDULES:
        raise ConfigError(f"task.sentence_loss_schedule must be one of {list(SCHEDULES)}, "
                          f"got {out.task.sentence_loss_schedule!r}")
    if out.task.tfidf_blend and not (out.task.multi_label and out.task.tune_thresholds):
        raise ConfigError("task.tfidf_blend chooses TF-IDF's weight on dev together with per-label "
                          "thresholds: it needs task.multi_label=true and task.tune_thresholds=true")
    if out.task.tfidf_context and not out.task.tfidf_blend:
        raise ConfigError("task.tfidf_context adds the article to the blend's TF-IDF: it needs task.tfidf_blend=true")
    words = out.task.context_words
    if words is not None and (isinstance(words, bool) or not isinstance(words, int) or words < 1):
        raise ConfigError(f"task.context_words must be a positive number of words or null, got {words!r}")
    task_from_config(out.task)  # an unknown task or a _target_ that is not one fails here
    return out


def from_dictconfig(cfg: Any) -> TrainConfig:
    from omegaconf import OmegaConf

    return from_dict(OmegaConf.to_container(cfg, resolve=True))


def to_dict(cfg: TrainConfig) -> dict[str, Any]:
    return dataclasses.asdict(cfg)


def run_suffix() -> str:
    """A random tag in run directory names: two launches in the same second, from two processes
    or one, never share a directory. Registered with use_cache, so one composed config (and the
    jobs Hydra copies it into) sees one value."""
    return secrets.token_hex(3)


# Mapping keys a user may want to empty. Hydra merges a dict override into the existing one, so
# `data.extra_eval={}` would keep the default seed evaluation, and the typed schema (araft.schema)
# refuses to delete a dataclass field; null replaces the mapping, and DataConfig reads it as {}.
EMPTIABLE = ("data.extra_eval", "data.extra_train", "data.label_map")


def normalize_overrides(overrides: list[str]) -> list[str]:
    """Command-line overrides with `KEY={}` for an EMPTIABLE key made to really empty it.

    Runs saved before the schema recorded `~KEY +KEY={}` in .hydra/overrides.yaml; a resume
    re-applies those, so they are read the same way."""
    out = []
    for item in overrides:
        key, sep, value = item.partition("=")
        bare = key.lstrip("+~")
        if bare in EMPTIABLE and (key.startswith("~") or (sep and value.strip() == "{}")):
            item = f"{bare}=null"
            if out and out[-1] == item:
                continue
        out.append(item)
    return out


def register_resolvers() -> None:
    from omegaconf import OmegaConf

    if not OmegaConf.has_resolver("run_suffix"):
        OmegaConf.register_new_resolver("run_suffix", run_suffix, use_cache=True)


def register_hydra() -> None:
    """What train.yaml needs registered before Hydra composes it: the run_suffix resolver and the
    typed schema it starts from (araft.schema)."""
    from araft.schema import register_schema

    register_resolvers()
    register_schema(TrainConfig, SECTIONS)


def compose(overrides: list[str], *, root: str) -> TrainConfig:
    """Compose araft's configs (araft.configdir) with overrides outside a Hydra app (tests, notebooks).

    ``root`` stands in for the launch directory (``paths.root``).
    """
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir

    from araft.configdir import config_dir
    from araft.schema import composition_error

    register_hydra()
    try:
        with initialize_config_dir(version_base="1.3", config_dir=str(config_dir())):
            dcfg = hydra_compose(config_name="train",
                                overrides=[f"paths.root={root}", *normalize_overrides(overrides)])
    except Exception as err:
        line = composition_error(err)
        if line is None:
            raise
        raise ConfigError(line) from err
    return from_dictconfig(dcfg)
