"""Two pretraining objectives on one ELECTRA-shaped encoder, so that only the objective differs.

- ``RTD``: ELECTRA's replaced-token detection (Clark et al., 2020). A small generator fills whole-word
  masks by sampling; the discriminator (the model kept) labels every token original or replaced, so it
  learns from every position instead of the masked 15-40%.
- ``MLM``: whole-word masked language modelling on the same encoder (ElectraForMaskedLM), the recipe
  of the earlier arabert-tiny build.
Both fine-tune through the standard ``ElectraForTokenClassification`` / ``...SequenceClassification``.
"""
from __future__ import annotations

import json
from pathlib import Path

import torch
import torch.nn.functional as F

from .masking import mask_batch

DISC_WEIGHT = 50.0
# ELECTRA's MLM model is BERT's under other names (prefix -> prefix); warm_start and as_bert_mlm use it
# in opposite directions.
ELECTRA_TO_BERT = {"electra.": "bert.",
                   "generator_predictions.dense.": "cls.predictions.transform.dense.",
                   "generator_predictions.LayerNorm.": "cls.predictions.transform.LayerNorm.",
                   "generator_lm_head.bias": "cls.predictions.bias"}


def rename(state: dict, table: dict[str, str]) -> dict:
    """Keys whose prefix is in ``table``, renamed; other keys are left out."""
    out = {}
    for k, v in state.items():
        old = next((o for o in table if k.startswith(o)), None)
        if old is not None:
            out[table[old] + k[len(old):]] = v
    return out  # ELECTRA's lambda: the per-token binary loss is ~50x smaller than the MLM loss


def encoder_config(tokenizer, shape: dict, settings: dict):
    from transformers import ElectraConfig

    config = ElectraConfig(vocab_size=len(tokenizer), pad_token_id=tokenizer.pad_token_id,
                           max_position_embeddings=512, type_vocab_size=2, hidden_act="gelu",
                           hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1, **shape)
    config.araft = dict(settings)  # read by araft: preprocessing mode and max length travel with it
    return config


def generator_config(disc_config, divisor: int = 4):
    """ELECTRA's generator: same depth and embeddings, 1/``divisor`` of the width."""
    from transformers import ElectraConfig

    hidden = disc_config.hidden_size // divisor
    return ElectraConfig(**{**disc_config.to_dict(), "hidden_size": hidden,
                            "intermediate_size": disc_config.intermediate_size // divisor,
                            "num_attention_heads": max(1, disc_config.num_attention_heads // divisor)})


class RTD(torch.nn.Module):
    """Generator + discriminator sharing token, position and type embeddings (as in ELECTRA)."""

    name = "rtd"

    def __init__(self, disc_config, mask_rate: float = 0.15):
        super().__init__()
        from transformers import ElectraForMaskedLM, ElectraForPreTraining

        self.disc = ElectraForPreTraining(disc_config)
        self.gen = ElectraForMaskedLM(generator_config(disc_config))
        self.gen.electra.embeddings = self.disc.electra.embeddings
        self.gen.generator_lm_head.weight = self.disc.electra.embeddings.word_embeddings.weight
        self.mask_rate = mask_rate

    def encoder(self):
        return self.disc

    def loss(self, batch, generator: torch.Generator | None = None) -> tuple[torch.Tensor, dict]:
        ids, att, labels = batch["input_ids"], batch["attention_mask"], batch["labels"]
        sel = labels != -100
        gen_hidden = self.gen.electra(input_ids=ids, attention_mask=att)[0]
        logits = self.gen.generator_lm_head(self.gen.generator_predictions(gen_hidden[sel]))
        gen_loss = F.cross_entropy(logits.float(), labels[sel])
        with torch.no_grad():  # sampling is not differentiated (ELECTRA trains the two by their own losses)
            probs = torch.softmax(logits.float(), dim=-1)
            sampled = torch.multinomial(probs, 1, generator=generator).squeeze(-1)
        original = torch.where(sel, labels, ids)
        corrupted = original.clone()
        corrupted[sel] = sampled
        replaced = (corrupted != original).float()
        disc_logits = self.disc(input_ids=corrupted, attention_mask=att).logits.float()
        on = att.bool()
        disc_loss = F.binary_cross_entropy_with_logits(disc_logits[on], replaced[on])
        with torch.no_grad():
            acc = ((disc_logits[on] > 0).float() == replaced[on]).float().mean()
        stats = {"gen_loss": gen_loss.item(), "disc_loss": disc_loss.item(), "disc_acc": acc.item(),
                 "replaced_share": replaced[on].mean().item()}
        return gen_loss + DISC_WEIGHT * disc_loss, stats


class MLM(torch.nn.Module):
    """Whole-word MLM on the discriminator's shape; the MLM head is dropped when the encoder is saved."""

    name = "mlm"

    def __init__(self, disc_config, mask_rate: float = 0.4):
        super().__init__()
        from transformers import ElectraForMaskedLM

        self.mlm = ElectraForMaskedLM(disc_config)
        self.mask_rate = mask_rate

    def encoder(self):
        return self.mlm

    def loss(self, batch, generator: torch.Generator | None = None) -> tuple[torch.Tensor, dict]:
        sel = batch["labels"] != -100
        hidden = self.mlm.electra(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"])[0]
        logits = self.mlm.generator_lm_head(self.mlm.generator_predictions(hidden[sel]))
        loss = F.cross_entropy(logits.float(), batch["labels"][sel])
        return loss, {"mlm_loss": loss.item()}


OBJECTIVES = {"rtd": RTD, "mlm": MLM}


def batch_for(objective, seqs, tokenizer, rng):
    return mask_batch(seqs, tokenizer, rng, objective.mask_rate)


@torch.no_grad()
def heldout_stats(objective, batches, seed: int, device: str = "cpu") -> dict:
    """Mean of the objective's stats over fixed held-out batches (fixed masks, seeded sampling)."""
    objective.eval()
    gen = torch.Generator(device=device).manual_seed(seed)
    sums: dict[str, float] = {}
    for b in batches:
        _, stats = objective.loss(b, gen)
        for k, v in stats.items():
            sums[k] = sums.get(k, 0.0) + v
    return {k: round(v / len(batches), 4) for k, v in sums.items()}


def bert_shape(bert_dir: Path) -> dict:
    """The encoder shape of a BERT folder, as ELECTRA config keys (embeddings as wide as the layers)."""
    config = json.loads((bert_dir / "config.json").read_text(encoding="utf-8"))
    keys = ("hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size")
    return {"embedding_size": config["hidden_size"], **{k: config[k] for k in keys}}


def warm_start(objective, bert_dir: Path) -> dict:
    """Load a BERT MLM's encoder (and, for MLM, its head) into the objective's ELECTRA encoder.

    BERT and ELECTRA share the encoder's layout (``bert.*`` -> ``electra.*``); ELECTRA's generator head
    is BERT's MLM transform + decoder. Returns counts of copied tensors, for the log."""
    from safetensors.torch import load_file

    bert = load_file(str(bert_dir / "model.safetensors"))
    target = objective.encoder()
    table = {b: e for e, b in ELECTRA_TO_BERT.items()}
    if objective.name != "mlm":  # RTD's discriminator takes the encoder only
        table = {"bert.": "electra."}
    mapped = rename(bert, table)
    own = target.state_dict()
    unknown = [k for k in mapped if k not in own or own[k].shape != mapped[k].shape]
    if unknown:
        raise ValueError(f"{bert_dir}: weights that do not fit the encoder: {unknown[:5]}")
    missing = target.load_state_dict(mapped, strict=False).missing_keys
    return {"warm_start": str(bert_dir.name), "copied_tensors": len(mapped),
            "fresh_tensors": [k for k in missing if k != "generator_lm_head.weight"]}  # tied to embeddings


def as_bert_mlm(objective):
    """The MLM objective's model as a ``BertForMaskedLM`` (the inverse of ``warm_start``'s renaming).

    With embeddings as wide as the layers, ELECTRA's MLM model is BERT's: saving it as BERT keeps the
    fill-mask head and loads in every BERT tool, as AraBERT does."""
    from transformers import BertConfig, BertForMaskedLM

    src = objective.encoder()
    c = src.config
    if c.embedding_size != c.hidden_size:
        raise ValueError("only an encoder with embeddings as wide as its layers is a BERT")
    keys = ("vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size",
            "max_position_embeddings", "type_vocab_size", "hidden_act", "hidden_dropout_prob",
            "attention_probs_dropout_prob", "initializer_range", "pad_token_id")
    bert = BertForMaskedLM(BertConfig(**{k: getattr(c, k) for k in keys}))
    bert.config.araft = dict(c.araft)
    state = rename(src.state_dict(), ELECTRA_TO_BERT)
    missing = bert.load_state_dict(state, strict=False).missing_keys
    if [k for k in missing if k not in ("cls.predictions.decoder.weight", "cls.predictions.decoder.bias")]:
        raise ValueError(f"BERT weights left unset: {missing}")
    bert.tie_weights()
    return bert
