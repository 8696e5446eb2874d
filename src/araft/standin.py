"""Stand-in models: a published architecture (araft/shapes/<name>/) with a locally built tokenizer.

A shape folder holds the base model's config.json and tokenizer_config.json as published, and no
weights or vocabulary, so the real shape trains offline from random weights (`model.standin=true`,
see configs/experiment/shape_check.yaml). The stand-in tokenizer has the real one's vocabulary size
and settings: a WordPiece vocabulary of the run's own training words (preprocessed as the model
expects: whole words, beginnings and endings, most frequent first), padded with ``[unused<i>]``
entries to the exact size, so the embedding matrix is the real one's; the real normaliser settings
(lower-casing, accent stripping, CJK spacing); and the ``never_split`` placeholders kept whole,
which only the slow BERT tokenizer honours in the published files, as added tokens.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Iterable

from araft.config import ModelConfig, TrainConfig
from araft.errors import ConfigError

log = logging.getLogger(__name__)

SHAPES_DIR = Path(__file__).resolve().parent / "shapes"
BUILD = "1"  # part of the cache key: bump when the stand-in recipe changes
SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]  # ids 0-4: pad_token_id 0 as published
# Characters every stand-in vocabulary holds (alone and as "##" continuations), so no word of
# Arabic or Latin script is [UNK] whatever the training words were.
ALPHABET = sorted({chr(c) for c in range(0x21, 0x7F)}          # ASCII
                  | {chr(c) for c in range(0xA1, 0x180)}       # Latin-1, Latin Extended-A
                  | {chr(c) for c in range(0x0600, 0x0700)}    # Arabic
                  | {chr(c) for c in range(0x2010, 0x2028)})   # dashes, quotes, ellipsis


def shape_dir(shape: str) -> Path:
    """A shape name (a folder under araft/shapes) or a path to a folder laid out the same way."""
    path = Path(shape) if os.sep in shape or Path(shape).is_dir() else SHAPES_DIR / shape
    if not (path / "config.json").is_file() or not (path / "tokenizer_config.json").is_file():
        known = sorted(p.name for p in SHAPES_DIR.iterdir() if (p / "config.json").is_file())
        raise ConfigError(f"model.shape={shape!r}: no config.json and tokenizer_config.json there; "
                          f"known shapes: {', '.join(known)}")
    return path


def with_standin(cfg: TrainConfig, train: Iterable) -> TrainConfig:
    """``cfg`` with the model pointed at its stand-in folder (built on first use from the words of
    the ``train`` articles), random weights. Unchanged when ``model.standin`` is off."""
    model = cfg.model
    if not model.standin:
        return cfg
    if not model.shape:
        raise ConfigError(f"model.standin=true needs model.shape (model {model.name!r} names none)")
    from araft.corpus.segment import split_words
    from araft.preprocessing import WordPreprocessor

    words = [w.text for article in train for w in split_words(article.text)]
    pre = WordPreprocessor(model.preprocess)
    folder = build_standin(shape_dir(model.shape), pre.many(words), Path(cfg.paths.cache_dir))
    return replace(cfg, model=replace(model, name_or_path=str(folder), random_init=True))


def build_standin(shape: Path, words: list[str], cache_dir: Path) -> Path:
    """The stand-in folder for ``shape`` trained on ``words``: cached by content, built atomically
    (several worker processes may ask at once)."""
    counts = Counter(words)
    digest = hashlib.sha256(BUILD.encode())
    for name in ("config.json", "tokenizer_config.json"):
        digest.update((shape / name).read_bytes())
    digest.update(json.dumps(sorted(counts.items()), ensure_ascii=False).encode())
    out = cache_dir / "standins" / f"{shape.name}-{digest.hexdigest()[:16]}"
    if (out / "tokenizer.json").is_file():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}."))
    try:
        config = json.loads((shape / "config.json").read_text(encoding="utf-8"))
        settings = json.loads((shape / "tokenizer_config.json").read_text(encoding="utf-8"))
        tokenizer = standin_tokenizer(settings, config["vocab_size"], counts)
        tokenizer.save_pretrained(str(tmp))
        (tmp / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
        try:
            os.replace(tmp, out)
        except OSError:  # another process published it first
            if not (out / "tokenizer.json").is_file():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    log.info("stand-in model folder for shape %s: %s", shape.name, out)
    return out


def standin_tokenizer(settings: dict, vocab_size: int, counts: Counter):
    """A fast BERT tokenizer with the published ``settings`` and exactly ``vocab_size`` entries."""
    from tokenizers import AddedToken, Tokenizer, decoders, models, normalizers, pre_tokenizers
    from tokenizers import processors
    from transformers import PreTrainedTokenizerFast

    keep_whole = list(settings.get("never_split") or [])
    lowercase = bool(settings.get("do_lower_case"))
    strip = settings.get("strip_accents")
    normalizer = normalizers.BertNormalizer(
        clean_text=True, handle_chinese_chars=bool(settings.get("tokenize_chinese_chars", True)),
        strip_accents=lowercase if strip is None else bool(strip),  # BERT's rule for null
        lowercase=lowercase)
    reserved = SPECIALS + keep_whole
    alphabet = ALPHABET + ["##" + c for c in ALPHABET]
    if vocab_size < len(reserved) + len(alphabet):
        raise ConfigError(f"vocab_size {vocab_size} is too small for a stand-in vocabulary")
    vocab: dict[str, int] = {}
    for token in reserved + alphabet + ranked_pieces(counts, normalizer):
        if len(vocab) == vocab_size:
            break
        vocab.setdefault(token, len(vocab))
    i = 0
    while len(vocab) < vocab_size:  # pad to the published size: the same embedding matrix
        vocab.setdefault(f"[unused{i}]", len(vocab))
        i += 1

    tok = Tokenizer(models.WordPiece(vocab=vocab, unk_token="[UNK]", max_input_chars_per_word=100))
    tok.normalizer = normalizer
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece(prefix="##")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])])
    tok.add_special_tokens([AddedToken(t, special=True, normalized=False) for t in SPECIALS])
    # never_split, as the fast tokenizer can carry it: matched before splitting, one id each
    tok.add_tokens([AddedToken(t, special=False, normalized=False) for t in keep_whole])
    return PreTrainedTokenizerFast(
        tokenizer_object=tok, model_max_length=int(settings.get("model_max_length", 512)),
        unk_token="[UNK]", sep_token="[SEP]", pad_token="[PAD]", cls_token="[CLS]",
        mask_token="[MASK]", do_lower_case=lowercase, strip_accents=strip,
        tokenize_chinese_chars=bool(settings.get("tokenize_chinese_chars", True)),
        never_split=keep_whole or None)  # the published settings, recorded in tokenizer_config


def ranked_pieces(counts: Counter, normalizer, longest: int = 6) -> list[str]:
    """WordPiece candidates from the training words, most frequent first: whole words, word
    beginnings and "##" endings of 2 to ``longest`` characters, each scored by the occurrences of
    the words holding it. Ties are broken by the string, so the vocabulary is the same on every
    run (the tokenizers WordPiece trainer numbers tied pieces differently from run to run)."""
    from tokenizers import pre_tokenizers

    split = pre_tokenizers.BertPreTokenizer()
    score: Counter = Counter()
    for word, n in counts.items():
        for piece, _ in split.pre_tokenize_str(normalizer.normalize_str(word)):
            score[piece] += n
            for k in range(2, min(len(piece), longest + 1)):
                score[piece[:k]] += n
                score["##" + piece[-k:]] += n
    return [p for p, _ in sorted(score.items(), key=lambda kv: (-kv[1], kv[0]))]
