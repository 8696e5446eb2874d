"""The embedded models/arabert-tiny: loads offline, right settings, good vocabulary, really pretrained,
and its vocabulary build is deterministic."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.tiny_model.corpus import load_corpus, preprocess_sentences, read_conll, rejoin_clitics
from scripts.tiny_model.vocab import train_wordpiece, vocab_in_order

ROOT = Path(__file__).resolve().parents[1]
MODEL_DIR = ROOT / "models" / "arabert-tiny"
DATA = ROOT.parent / "shared" / "data"

os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="module")
def tok():
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(MODEL_DIR), local_files_only=True)


@pytest.fixture(scope="module")
def model():
    from transformers import AutoModelForMaskedLM

    return AutoModelForMaskedLM.from_pretrained(str(MODEL_DIR), local_files_only=True).eval()


@pytest.fixture(scope="module")
def data_dir() -> Path:
    if not DATA.is_dir():
        pytest.skip("../shared/data is absent")
    return DATA


def test_loads_offline_with_araft_settings(tok, model):
    assert model.config.araft == {"preprocess": "arabertv02", "max_length": 128}
    assert model.config.vocab_size == len(tok) == len((MODEL_DIR / "vocab.txt").read_text(
        encoding="utf-8").splitlines())
    assert tok.model_max_length == 512 and tok.do_lower_case is False
    assert tok.convert_ids_to_tokens([0, 1, 2, 3, 4]) == ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    enc = tok("روسيا والولايات المتحدة")
    assert enc.tokens()[0] == "[CLS]" and enc.tokens()[-1] == "[SEP]"


def test_vocab_covers_common_seed_words(tok, seed_sentences):
    for word in ["روسيا", "الولايات", "المتحدة", "المفاوضات", "الأزمة", "الحرب"]:
        assert tok.tokenize(word) == [word], word
    pieces = tok.tokenize(" ".join(w for s in seed_sentences for w in s))
    assert pieces.count("[UNK]") / len(pieces) < 0.01
    words = sum(len(s) for s in seed_sentences)
    assert len(pieces) / words < 1.8  # a sane vocabulary: under ~2 pieces per word


def test_folder_is_small():
    files = [p for p in MODEL_DIR.rglob("*") if p.is_file()]
    assert {"config.json", "model.safetensors", "tokenizer.json", "vocab.txt", "README.md",
            "training_log.json"} <= {p.name for p in files}
    assert sum(p.stat().st_size for p in files) < 25_000_000


def test_card_and_log_describe_a_pretrained_model():
    log = json.loads((MODEL_DIR / "training_log.json").read_text(encoding="utf-8"))
    assert log["pretrained"] is True
    assert log["heldout_after"]["mlm_loss"] < log["heldout_before"]["mlm_loss"] - 1.5
    card = (MODEL_DIR / "README.md").read_text(encoding="utf-8")
    for needed in ("license: cc-by-sa-4.0", "Fine-tuning result", "make tiny-model", "loss_curve.png"):
        assert needed in card
    assert (MODEL_DIR / "loss_curve.png").read_bytes()[:4] == b"\x89PNG"
    # the fine-tuning table holds both initialisations, as recorded, and the card's verdict
    pre, rnd = log["finetune"][:2]
    assert f"{pre['dev_f1']:.3f} [{pre['dev_ci'][0]:.3f}, {pre['dev_ci'][1]:.3f}]" in card
    assert f"{rnd['dev_f1']:.3f} [{rnd['dev_ci'][0]:.3f}, {rnd['dev_ci'][1]:.3f}]" in card
    paired = pre.get("paired") or []
    clear = (all(g["ci"][0] > 0 for g in paired) if paired else pre["dev_ci"][0] > rnd["dev_ci"][1])
    assert ("clearly better" in card) == clear
    assert ("does not clearly help" in card) == (not clear)


def test_card_verdict_follows_the_figures():
    from scripts.tiny_model.finetune_table import finetune_section as _finetune_section

    row = {"seed_f1": 0.5, "command": "araft train", "wall": "1 s"}
    better = _finetune_section({"finetune": [dict(row, init="pretrained", dev_f1=0.6, dev_ci=[0.55, 0.65]),
                                             dict(row, init="random", dev_f1=0.4, dev_ci=[0.35, 0.45])]})
    assert "clearly better" in better and "+0.200" in better
    same = _finetune_section({"finetune": [dict(row, init="pretrained", dev_f1=0.41, dev_ci=[0.37, 0.45]),
                                           dict(row, init="random", dev_f1=0.41, dev_ci=[0.37, 0.45])]})
    assert "does not clearly help" in same
    assert "Not measured" in _finetune_section({"finetune": []})
    # with paired figures, "clear" means every seed's paired interval is above zero
    pre = dict(row, init="pretrained", dev_f1=0.45, dev_ci=[0.41, 0.49], seeds=[1, 2], dev_f1_mean=0.45,
               dev_f1_sd=0.01)
    rnd = dict(row, init="random", dev_f1=0.41, dev_ci=[0.37, 0.45], seeds=[1, 2], dev_f1_mean=0.41,
               dev_f1_sd=0.01)
    gap = {"seed": 1, "delta": 0.04, "ci": [0.02, 0.06], "p_value": 0.002, "sentences": 396}
    both = _finetune_section({"finetune": [dict(pre, paired=[gap, dict(gap, seed=2)]), rnd]})
    assert "clearly better" in both and "- seed 2: +0.040 [+0.020, +0.060], p = 0.002" in both
    one_overlaps = _finetune_section({"finetune": [dict(pre, paired=[gap, dict(gap, seed=2, ci=[-0.01, 0.08])]),
                                                   rnd]})
    assert "does not clearly help" in one_overlaps


def _mlm_losses(model, tok, sentences: list[list[str]]) -> tuple[float, float]:
    """(pretrained, random-init) MLM loss on the same fixed whole-word masks."""
    import numpy as np
    import torch
    from scripts.tiny_model.model import init_model
    from scripts.tiny_model.pretrain import encode, mask_batch, masked_loss, pack

    batch = mask_batch(pack(encode(tok, sentences), tok), tok, np.random.RandomState(0))
    random_model = init_model(model.config, seed=0).eval()
    with torch.no_grad():
        return masked_loss(model, batch).item(), masked_loss(random_model, batch).item()


def test_pretrained_mlm_loss_beats_random_init_on_heldout(tok, model, data_dir):
    """The build's own held-out sentences (never trained on): pretraining must clearly help."""
    from scripts.tiny_model.corpus import pretraining_text

    log = json.loads((MODEL_DIR / "training_log.json").read_text(encoding="utf-8"))
    _, held, _ = pretraining_text(data_dir, log["seed"])
    trained, untrained = _mlm_losses(model, tok, held[:40])
    assert untrained > 8.5  # ~ln(vocab): knows nothing
    assert trained < untrained - 1.5


def test_pretrained_mlm_loss_beats_random_init_on_seed_article(tok, model, seed_sentences):
    """Out-of-domain text (a 2025 article; the corpus is 2000s news and Wikipedia): a smaller gain."""
    trained, untrained = _mlm_losses(model, tok, seed_sentences)
    assert trained < untrained - 1.2


@pytest.mark.parametrize("rate", [0.15, 0.4])
def test_whole_word_masking_masks_whole_words(tok, seed_sentences, rate):
    import numpy as np
    from scripts.tiny_model.pretrain import encode, mask_batch, pack

    seqs = pack(encode(tok, seed_sentences), tok)
    batch = mask_batch(seqs, tok, np.random.RandomState(1), rate)
    labels = batch["labels"].numpy()
    for row, (ids, wids) in enumerate(seqs):
        masked = {w for pos, w in enumerate(wids) if labels[row, pos] != -100}
        assert -1 not in masked  # never [CLS] / [SEP]
        for pos, w in enumerate(wids):
            assert (labels[row, pos] != -100) == (w in masked)  # all pieces of a word, or none
    share = (labels != -100).sum() / sum(len(s[0]) - 2 for s in seqs)
    assert rate - 0.03 < share < rate + 0.03


def test_pretrain_repacks_each_epoch_and_learns(tok, seed_sentences, monkeypatch):
    """The real loop on the seed article with a very small BERT: several epochs, each re-packed."""
    from scripts.tiny_model import pretrain as P
    from scripts.tiny_model.model import ARCH, init_model
    from transformers import BertConfig

    arch = dict(ARCH, hidden_size=32, num_hidden_layers=1, num_attention_heads=2, intermediate_size=64)
    model = init_model(BertConfig(vocab_size=len(tok), pad_token_id=tok.pad_token_id, **arch), seed=0)
    packs = []
    real_pack = P.pack
    monkeypatch.setattr(P, "pack", lambda enc, t, n: packs.append(real_pack(enc, t, n)) or packs[-1])
    log = P.pretrain(model, tok, seed_sentences, seed_sentences[:5], seed=0, budget_s=600, max_steps=40,
                     hp={"batch_size": 4, "seq_len": 64, "lr": 3e-3, "eval_every": 40})
    assert log["steps"] == 40 and log["stopped_by"] == "max_steps"
    epochs = log["curve"][-1]["epoch"]
    assert epochs >= 3
    train_packs = packs[2:]  # packs[0]: the training text in order, packs[1]: held-out
    assert len(train_packs) == epochs - 1 and train_packs[0] != packs[0]
    tokens = [sorted(i for seq in pk for i in seq[0] if i > 4) for pk in (packs[0], train_packs[0])]
    assert tokens[0] == tokens[1]  # the same words, other neighbours
    assert log["heldout_after"]["mlm_loss"] < log["heldout_before"]["mlm_loss"]


def test_rejoin_clitics():
    assert rejoin_clitics("و اكد جلالة ه".split()) == ["واكد", "جلالته"]
    assert rejoin_clitics("تقرير سنوي ل الاتحاد".split()) == ["تقرير", "سنوي", "للاتحاد"]
    assert rejoin_clitics("ك ما قال".split()) == ["كما", "قال"]
    assert rejoin_clitics("نفس ك ( د ب ا )".split()) == ["نفسك", "(", "د", "ب", "ا", ")"]


def test_vocab_build_is_deterministic(data_dir, tmp_path):
    """Same text -> identical vocab, also in a fresh process with another string-hash seed."""
    sents = preprocess_sentences(read_conll(data_dir / "anercorp_camellab_recon" / "train.conll")[:400])
    vocab = vocab_in_order(train_wordpiece(sents, 1500))
    assert vocab == vocab_in_order(train_wordpiece(sents, 1500))
    (tmp_path / "s.json").write_text(json.dumps(sents, ensure_ascii=False), encoding="utf-8")
    code = ("import json,sys; "
            "from scripts.tiny_model.vocab import train_wordpiece, vocab_in_order; "
            "s = json.load(open(sys.argv[1], encoding='utf-8')); "
            "print(json.dumps(vocab_in_order(train_wordpiece(s, 1500))))")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "s.json")], cwd=ROOT,
                         env=dict(os.environ, PYTHONHASHSEED="12345"), capture_output=True, text=True,
                         check=True).stdout
    assert json.loads(out) == vocab
    assert len(vocab) == 1500 and vocab[:5] == ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def test_pretraining_text_keeps_dev_and_test_out(data_dir):
    corpus = load_corpus(data_dir)
    seen = {tuple(s) for s in corpus.all()}
    aner = read_conll(data_dir / "anercorp_camellab_recon" / "train.conll")
    dev = aner[len(aner) - len(aner) // 10:]  # the project's dev split, however it rounds
    assert not [s for s in dev if len(s) >= 5 and tuple(s) in seen]
    aqmar_test = read_conll(data_dir / "aqmar" / "test.conll")
    assert not [s for s in aqmar_test if len(s) >= 5 and tuple(s) in seen]
    assert corpus.notes["newsfane_dropped_as_dev"] > 300  # NewsFANE's copy of the dev text is found


@pytest.mark.slow
def test_rebuilt_vocab_equals_the_shipped_one(data_dir):
    """A rebuild of the vocabulary from the shared data gives exactly the shipped vocab.txt (~15 s)."""
    from scripts.tiny_model.corpus import pretraining_text

    log = json.loads((MODEL_DIR / "training_log.json").read_text(encoding="utf-8"))
    train, _, _ = pretraining_text(data_dir, log["seed"])
    shipped = (MODEL_DIR / "vocab.txt").read_text(encoding="utf-8").splitlines()
    assert vocab_in_order(train_wordpiece(train, len(shipped))) == shipped
