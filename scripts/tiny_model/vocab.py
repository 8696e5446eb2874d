"""WordPiece vocabulary trained like AraBERT's, wrapped as a transformers fast BERT tokenizer."""
from __future__ import annotations

from pathlib import Path

SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
MODEL_MAX_LENGTH = 512


def train_wordpiece(sentences: list[list[str]], vocab_size: int, min_frequency: int = 2,
                    min_word_count: int = 1):
    """A `tokenizers.Tokenizer` with a WordPiece vocabulary learned from preprocessed sentences.

    Normaliser and pre-tokeniser match AraBERT: no lowercasing, no accent stripping, no CJK splitting.
    Words seen fewer than ``min_word_count`` times are left out of the merges (on millions of words the
    long tail of typos and names costs most of the time and changes little).
    """
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    from .wordpiece import count_words, train_vocab

    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=False,
                                                strip_accents=False, lowercase=False)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece(prefix="##")
    # tokenizers' own WordPieceTrainer is not deterministic (ties follow hash order): see wordpiece.py
    counts = count_words((" ".join(s) for s in sentences), tok.normalizer, tok.pre_tokenizer)
    if min_word_count > 1:
        counts = {w: n for w, n in counts.items() if n >= min_word_count}
    vocab = train_vocab(counts, vocab_size, SPECIAL_TOKENS, min_frequency)
    tok.model = models.WordPiece({t: i for i, t in enumerate(vocab)}, unk_token="[UNK]",
                                 max_input_chars_per_word=100)
    cls_id, sep_id = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", cls_id), ("[SEP]", sep_id)])
    return tok


def vocab_in_order(tok) -> list[str]:
    """Tokens by id; this is vocab.txt, the file whose stability the tests check."""
    vocab = tok.get_vocab()
    return sorted(vocab, key=vocab.__getitem__)


def wrap_fast(tok):
    """transformers BertTokenizerFast around the trained tokenizer (do_lower_case=False like AraBERT)."""
    from transformers import BertTokenizerFast

    return BertTokenizerFast(tokenizer_object=tok, do_lower_case=False, strip_accents=False,
                             tokenize_chinese_chars=False, model_max_length=MODEL_MAX_LENGTH,
                             unk_token="[UNK]", sep_token="[SEP]", pad_token="[PAD]",
                             cls_token="[CLS]", mask_token="[MASK]")


def build_tokenizer(sentences: list[list[str]], vocab_size: int, out_dir: Path | None = None,
                    min_word_count: int = 1):
    """Train, wrap and (if ``out_dir``) save the tokenizer; returns the BertTokenizerFast."""
    fast = wrap_fast(train_wordpiece(sentences, vocab_size, min_word_count=min_word_count))
    if out_dir is not None:
        fast.save_pretrained(str(out_dir))
    return fast
