"""The arabert-tiny architecture and how its folder is written."""
from __future__ import annotations

from pathlib import Path

ARAFT_SETTINGS = {"preprocess": "arabertv02", "max_length": 128}
# Sized so that model.safetensors (fp32) plus tokenizer files stay well under 25 MB.
ARCH = dict(hidden_size=256, num_hidden_layers=4, num_attention_heads=4, intermediate_size=768,
            max_position_embeddings=512, type_vocab_size=2, hidden_act="gelu",
            hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1, initializer_range=0.02)


def make_config(tokenizer):
    from transformers import BertConfig

    config = BertConfig(vocab_size=len(tokenizer), pad_token_id=tokenizer.pad_token_id, **ARCH)
    # The lead's code reads config.araft["preprocess"]; PretrainedConfig keeps unknown kwargs as attributes.
    config.araft = dict(ARAFT_SETTINGS)
    return config


def init_model(config, seed: int):
    """BertForMaskedLM with seeded random weights (the same seed gives the same weights)."""
    import torch
    from transformers import BertForMaskedLM

    torch.manual_seed(seed)
    return BertForMaskedLM(config)


def save_model(model, tokenizer, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(out_dir), safe_serialization=True)
    save_tokenizer(tokenizer, out_dir)


def save_tokenizer(tokenizer, out_dir: Path) -> None:
    """tokenizer.json and friends, plus vocab.txt: transformers 5 writes only tokenizer.json, and vocab.txt
    keeps the vocabulary readable by BERT tools."""
    tokenizer.save_pretrained(str(out_dir))
    vocab = tokenizer.get_vocab()
    (out_dir / "vocab.txt").write_text("\n".join(sorted(vocab, key=vocab.__getitem__)) + "\n",
                                       encoding="utf-8")


def count_params(model) -> int:
    return sum(p.numel() for p in model.parameters())


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
