"""The joint model: one encoder, a token head (entities) and a sentence head (claims, obstacles),
both from one forward pass.

The weights are laid out as the base's own token-classification model (``bert.*``,
``classifier.*``) plus the sentence head (``sentence_classifier.*``, and the base's pooler where
the architecture's sequence head reads it), so plain transformers loads a saved folder as a token
classifier as it is; ``export_heads`` writes the two standard models (token and sequence
classification, each with the shared encoder) that `araft push` uploads.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import torch
from transformers import PretrainedConfig, PreTrainedModel
from transformers.utils import ModelOutput

from araft.errors import ConfigError
from araft.modelio import without_sentence_decisions

IGNORE = -100
# model_type -> whether its sequence-classification head reads the pooler output (BERT) or the
# hidden states (ELECTRA's classification head takes [CLS] itself)
POOLED = {"bert": True, "electra": False}
SENTENCE_KEY = "sentence_labels"  # config.json: the sentence head's labels, in id order


@dataclass
class JointOutput(ModelOutput):
    loss: torch.Tensor | None = None
    logits: torch.Tensor | None = None           # [batch, tokens, tags]
    sentence_logits: torch.Tensor | None = None  # [batch, sentence labels]


def sentence_config(config: PretrainedConfig):
    """The config of the standard sequence-classification model: multi-label over the sentence labels."""
    labels = list(getattr(config, SENTENCE_KEY))
    out = config.__class__.from_dict({k: v for k, v in config.to_dict().items()
                                      if k not in ("id2label", "label2id", SENTENCE_KEY, "araft")})
    out.id2label = dict(enumerate(labels))
    out.label2id = {name: k for k, name in enumerate(labels)}
    out.problem_type = "multi_label_classification"
    return out


def check_architecture(config: PretrainedConfig, where: str) -> None:
    if config.model_type not in POOLED:
        raise ConfigError(f"{where}: the joint task supports {', '.join(sorted(POOLED))} encoders, "
                          f"not {config.model_type!r}")


class JointModel(PreTrainedModel):
    """Token head and sentence head over one encoder. ``config`` is the base's config with the
    token tags as id2label and ``sentence_labels``."""
    config_class = PretrainedConfig
    main_input_name = "input_ids"
    # attention runs in the base's own modules, which support these
    _supports_sdpa = True
    _supports_flash_attn = True
    _supports_attention_backend = True

    def __init__(self, config: PretrainedConfig, parts: tuple[Any, Any] | None = None):
        super().__init__(config)
        check_architecture(config, "joint model")
        if parts is None:
            from transformers import AutoModelForSequenceClassification, AutoModelForTokenClassification

            parts = (AutoModelForTokenClassification.from_config(config),
                     AutoModelForSequenceClassification.from_config(sentence_config(config)))
        token_model, sentence_model = parts
        self.base_model_prefix = token_model.base_model_prefix
        # the sequence model's base: for BERT it has the pooler the sentence head reads
        setattr(self, self.base_model_prefix, getattr(sentence_model, self.base_model_prefix))
        self.dropout = token_model.dropout
        self.classifier = token_model.classifier
        self.pooled = POOLED[config.model_type]
        self.sentence_dropout = sentence_model.dropout if self.pooled else torch.nn.Identity()
        self.sentence_classifier = sentence_model.classifier
        n = len(getattr(config, SENTENCE_KEY))
        self.register_buffer("pos_weight", torch.ones(n), persistent=False)
        self.sentence_loss_weight = 1.0

    @property
    def encoder_module(self):
        return getattr(self, self.base_model_prefix)

    def _init_weights(self, module):  # only for weights no checkpoint holds: the base's own rule
        self.encoder_module._init_weights(module)

    def forward(self, input_ids=None, attention_mask=None, token_type_ids=None, labels=None,
                sentence_labels=None) -> JointOutput:
        out = self.encoder_module(input_ids=input_ids, attention_mask=attention_mask,
                                  token_type_ids=token_type_ids)
        hidden = out[0]
        logits = self.classifier(self.dropout(hidden))
        pooled = out[1] if self.pooled else hidden
        sentence_logits = self.sentence_classifier(self.sentence_dropout(pooled))
        loss = None
        if labels is not None or sentence_labels is not None:
            loss = self.joint_loss(logits, labels, sentence_logits, sentence_labels)
        return JointOutput(loss=loss, logits=logits, sentence_logits=sentence_logits)

    def joint_loss(self, logits, labels, sentence_logits, sentence_labels) -> torch.Tensor:
        """Token cross-entropy over labelled tokens plus the weighted sentence BCE over the
        windows whose sentence is labelled; a batch without one kind adds nothing for it (a
        window of an entity-only article has sentence labels IGNORE, and the reverse)."""
        loss = logits.new_zeros(())
        if labels is not None and (labels != IGNORE).any():
            loss = loss + torch.nn.functional.cross_entropy(
                logits.float().view(-1, logits.size(-1)), labels.view(-1), ignore_index=IGNORE)
        if sentence_labels is not None:
            known = sentence_labels[:, 0] != IGNORE
            if known.any():
                bce = torch.nn.functional.binary_cross_entropy_with_logits(
                    sentence_logits.float()[known], sentence_labels[known].float(),
                    pos_weight=self.pos_weight.to(sentence_logits.device))
                loss = loss + self.sentence_loss_weight * bce
        return loss


def build_joint(token_model, sentence_model, sentence_labels: Sequence[str]) -> JointModel:
    """The joint model from a base loaded with each standard head (its encoder weights are the
    sentence model's; both were loaded from the same checkpoint)."""
    config = token_model.config
    setattr(config, SENTENCE_KEY, list(sentence_labels))
    config.architectures = ["JointModel"]
    return JointModel(config, parts=(token_model, sentence_model))


def load_joint(path: str | Path) -> JointModel:
    """A saved joint model folder (weights checked key by key: nothing starts from random)."""
    from safetensors.torch import load_file
    from transformers import AutoConfig

    config = AutoConfig.from_pretrained(path)
    if not getattr(config, SENTENCE_KEY, None):
        raise ConfigError(f"{path}: config.json has no {SENTENCE_KEY!r}: not a joint araft model")
    model = JointModel(config)
    model.load_state_dict(load_file(str(Path(path) / "model.safetensors")), strict=True)
    return model


def export_heads(model: JointModel, out: Path) -> dict[str, Path]:
    """The two standard models, each with the shared encoder, as plain transformers loads them:
    ``out/token-classification`` and ``out/sentence-classification``. Each carries araft settings
    of its own task (ner, claims), so araft predicts with either alone too."""
    from transformers import AutoModelForSequenceClassification, AutoModelForTokenClassification

    state = {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
    prefix = model.base_model_prefix
    settings = dict(getattr(model.config, "araft", None) or {})
    token_cfg = model.config.__class__.from_dict(
        {k: v for k, v in model.config.to_dict().items() if k not in (SENTENCE_KEY, "architectures")})
    token_cfg.araft = {**without_sentence_decisions(settings), "task": "ner"}
    token = AutoModelForTokenClassification.from_config(token_cfg)
    token.load_state_dict({k: v for k, v in state.items() if k in token.state_dict()}, strict=True)
    sentence_cfg = sentence_config(model.config)
    sentence_cfg.araft = {**settings, "task": "claims", "multi_label": True}
    sentence = AutoModelForSequenceClassification.from_config(sentence_cfg)
    head = "sentence_classifier."
    sentence.load_state_dict({("classifier." + k[len(head):] if k.startswith(head) else k): v
                              for k, v in state.items() if k.startswith((prefix + ".", head))},
                             strict=True)
    paths = {"token-classification": out / "token-classification",
             "sentence-classification": out / "sentence-classification"}
    token.save_pretrained(paths["token-classification"])
    sentence.save_pretrained(paths["sentence-classification"])
    return paths
