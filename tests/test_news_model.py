"""The default embedded models/arabert-mini-news and its build: loads offline with its settings, is
really pretrained on news, keeps the claims corpus's articles out, and the build's parts work."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from scripts.tiny_model import news_corpus

ROOT = Path(__file__).resolve().parents[1]
MODEL_DIR = ROOT / "models" / "arabert-mini-news"
START_DIR = ROOT / "models" / "arabert-tiny"  # where the news pretraining started
DATA = ROOT.parent / "shared" / "data"

os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="module")
def tok():
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(MODEL_DIR), local_files_only=True)


@pytest.fixture(scope="module")
def mlm():
    from transformers import AutoModelForMaskedLM

    return AutoModelForMaskedLM.from_pretrained(str(MODEL_DIR), local_files_only=True).eval()


@pytest.fixture(scope="module")
def log() -> dict:
    return json.loads((MODEL_DIR / "training_log.json").read_text(encoding="utf-8"))


def test_loads_offline_in_fp32_with_araft_settings(tok, mlm):
    import torch
    from transformers import AutoModelForTokenClassification

    assert mlm.config.model_type == "bert"
    assert mlm.config.araft == {"preprocess": "arabertv02", "max_length": 128}
    assert mlm.config.vocab_size == len(tok) == len((MODEL_DIR / "vocab.txt").read_text(
        encoding="utf-8").splitlines())
    assert tok.model_max_length == 512 and tok.do_lower_case is False
    assert tok.convert_ids_to_tokens([0, 1, 2, 3, 4]) == ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    ner = AutoModelForTokenClassification.from_pretrained(str(MODEL_DIR), num_labels=9)
    assert next(ner.parameters()).dtype == torch.float32
    # the fine-tuned head starts from the pretrained encoder, not from random weights
    assert torch.equal(ner.bert.embeddings.word_embeddings.weight, mlm.bert.embeddings.word_embeddings.weight)


def test_vocab_covers_common_seed_words(tok, seed_sentences):
    for word in ["روسيا", "الولايات", "المتحدة", "الأزمة", "الحرب"]:
        assert tok.tokenize(word) == [word], word
    pieces = tok.tokenize(" ".join(w for s in seed_sentences for w in s))
    assert pieces.count("[UNK]") / len(pieces) < 0.01
    assert len(pieces) / sum(len(s) for s in seed_sentences) < 1.8  # under ~2 pieces a word


def test_folder_is_within_the_size_limit():
    files = [p for p in MODEL_DIR.rglob("*") if p.is_file()]
    assert {"config.json", "model.safetensors", "tokenizer.json", "vocab.txt", "README.md",
            "training_log.json", "curve.png"} <= {p.name for p in files}
    assert sum(p.stat().st_size for p in files) < 40_000_000


def test_card_says_who_built_it_its_license_and_its_figures(log):
    card = (MODEL_DIR / "README.md").read_text(encoding="utf-8")
    assert card.startswith("---\nlicense: cc-by-nc-sa-4.0\n")
    flat = " ".join(card.split())  # phrases may wrap across lines
    for needed in ("Built by araft's build scripts", "SaudiNewsNet", "Alhagri", "make news-model",
                   "curve.png", "at equal compute", "No person annotated", "models/arabert-tiny"):
        assert needed in flat, needed
    assert f"{log['corpus']['excluded']['held_back_days']:,} articles" in flat
    pre, rnd = log["finetune"][:2]
    assert f"{pre['dev_f1']:.3f} [{pre['dev_ci'][0]:.3f}, {pre['dev_ci'][1]:.3f}]" in card
    assert f"{rnd['dev_f1']:.3f} [{rnd['dev_ci'][0]:.3f}, {rnd['dev_ci'][1]:.3f}]" in card
    clear = all(g["ci"][0] > 0 for g in pre["paired"])
    assert ("clearly better" in card) == clear


def test_log_holds_back_the_claims_pool(log):
    ex = log["corpus"]["excluded"]
    assert ex["held_back_days"] == 4725  # 2015-07-23, 07-24 and 08-03: the claims corpus's pool
    # the corpus as it stood when the last round was prepared: every article, and each one's wire copies
    corpus = sum(len((ROOT / "data" / "claims_obstacles" / f"{name}.jsonl").read_text(
        encoding="utf-8").splitlines()) for name in ("train", "dev", "test"))
    assert ex["claims_articles"] == corpus and ex["held_back_claims_and_copies"] >= corpus


def _mlm_loss(model, tok, sentences) -> float:
    """Whole-word MLM loss on fixed 15% masks (the same masks for every model)."""
    import numpy as np
    import torch
    from scripts.tiny_model.masking import encode, mask_batch, pack

    batch = mask_batch(pack(encode(tok, sentences), tok), tok, np.random.RandomState(0))
    sel = batch["labels"] != -100
    with torch.no_grad():
        logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits
    return torch.nn.functional.cross_entropy(logits[sel], batch["labels"][sel]).item()


def test_news_pretraining_lowers_the_loss_on_unseen_news(tok, mlm, seed_sentences):
    """The seed article (2025 news, never pretrained on): better than random weights by far, and
    better than the model the news pretraining started from."""
    from transformers import AutoModelForMaskedLM

    start = AutoModelForMaskedLM.from_pretrained(str(START_DIR), local_files_only=True).eval()
    random_init = AutoModelForMaskedLM.from_config(mlm.config).eval()
    ours, before, rand = (_mlm_loss(m, tok, seed_sentences) for m in (mlm, start, random_init))
    assert rand > 8.5 and ours < rand - 2.0
    assert ours < before - 0.1


def test_select_articles_holds_back_days_claims_and_their_copies():
    claims = json.loads((ROOT / "data" / "claims_obstacles" / "dev.jsonl").read_text(
        encoding="utf-8").splitlines()[0])
    title, body = claims["text"].split("\n", 1)
    words = body.split()
    arts = [
        {"id": "a", "date": "2015-07-21", "title": "خبر آخر", "content": "نص لا علاقة له بالمدونة " * 5},
        {"id": "b", "date": "2015-07-23", "title": "خبر يوم محجوز", "content": "نص"},
        {"id": "c", "date": "2015-08-08", "title": title, "content": "نسخة بعنوان مطابق"},
        {"id": "d", "date": "2015-08-09", "title": "نسخة وكالة", "content": " ".join(words[:60])},
        {"id": "e", "date": "2015-08-09", "title": "",
         "content": " ".join(f"كلمة{i}" for i in range(300)) + " " + " ".join(words[:12])},
    ]
    kept, notes = news_corpus.select_articles(arts, ROOT / "data" / "claims_obstacles")
    assert [a["id"] for a in kept] == ["a", "e"]  # e shares 5 of its 305 8-grams: under 3%
    assert notes["held_back_days"] == 1 and notes["held_back_claims_and_copies"] == 2
    assert notes["claims_articles"] == sum(  # every article of the corpus's three splits
        len((ROOT / "data" / "claims_obstacles" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines())
        for name in ("train", "dev", "test"))


def test_read_articles_names_a_bad_line(tmp_path):
    path = tmp_path / "snn.jsonl"
    path.write_text('{"id": "a", "date": "2015-07-21"}\n{"id": "b"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"snn.jsonl:2: not a SaudiNewsNet article"):
        news_corpus.read_articles(path)


def test_dedupe_and_article_split():
    sents = [["أ", "ب"], ["ج"], ["أ", "ب"]]
    assert news_corpus.dedupe(sents) == ([["أ", "ب"], ["ج"]], 1)
    arts = [{"id": f"x{i}", "date": "d"} for i in range(200)]
    train, held = news_corpus.split_articles(arts, 0.05, seed=13)
    assert len(held) == 10 and not {a["id"] for a in train} & {a["id"] for a in held}
    again = news_corpus.split_articles(list(reversed(arts)), 0.05, seed=13)[1]
    assert sorted(a["id"] for a in held) == sorted(a["id"] for a in again)  # input order does not matter


@pytest.mark.parametrize("name", ["rtd", "mlm"])
def test_objectives_learn_and_a_cut_build_resumes(tok, seed_sentences, tmp_path, capsys, name):
    """The real loop with a very small encoder: held-out loss falls; a rerun resumes from ckpt.pt."""
    import torch
    from scripts.tiny_model.masking import encode
    from scripts.tiny_model.news_loop import pretrain, save_encoder
    from scripts.tiny_model.objectives import OBJECTIVES, encoder_config

    shape = dict(embedding_size=32, hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                 intermediate_size=64)
    enc = encode(tok, seed_sentences)
    hp = {"batch_size": 4, "seq_len": 64, "lr": 3e-3, "log_every": 2, "eval_every": 1000, "ckpt_every_s": 0.0}

    def run(steps):
        torch.manual_seed(0)
        obj = OBJECTIVES[name](encoder_config(tok, shape, {"preprocess": "arabertv02", "max_length": 64}))
        return obj, pretrain(obj, tok, enc, enc[:6], tmp_path / "work", seed=0, budget_s=600,
                             max_steps=steps, hp=hp)

    _, first = run(8)
    assert first["steps"] == 8 and (tmp_path / "work" / "ckpt.pt").is_file()
    obj, log = run(30)  # same folder: continues from step 8
    assert "resumed at step 8" in capsys.readouterr().out
    assert log["steps"] == 30 and [p["step"] for p in log["curve"]] == list(range(2, 31, 2))
    key = "disc_loss" if name == "rtd" else "mlm_loss"
    assert log["heldout_after"][key] < first["heldout_before"][key]
    save_encoder(obj, tok, tmp_path / "enc")
    from transformers import AutoModelForTokenClassification

    assert AutoModelForTokenClassification.from_pretrained(str(tmp_path / "enc"), num_labels=3)


@pytest.mark.slow
def test_rebuilt_vocab_equals_the_shipped_one(tmp_path):
    """`scripts.build_news_model prepare` from the shared data gives exactly the shipped vocab.txt (~4 min)."""
    if not DATA.is_dir():
        pytest.skip("../shared/data is absent")
    from scripts import build_news_model

    build_news_model.prepare(DATA, tmp_path, 24000, 13)
    rebuilt = (tmp_path / "tokenizer" / "tokenizer.json").read_text(encoding="utf-8")
    assert json.loads(rebuilt)["model"]["vocab"] == json.loads(
        (MODEL_DIR / "tokenizer.json").read_text(encoding="utf-8"))["model"]["vocab"]


def _tiny_work(tok, seed_sentences, work):
    """A prepared-ids folder as `prepare` writes it, from the seed sentences (no ../shared needed)."""
    import pickle

    from scripts.tiny_model.masking import encode

    enc = encode(tok, seed_sentences)
    work.mkdir(parents=True)
    tok.save_pretrained(str(work / "tokenizer"))
    shipped = json.loads((MODEL_DIR / "training_log.json").read_text(encoding="utf-8"))["corpus"]
    with open(work / "encoded.pkl", "wb") as fh:  # the shipped corpus counts, so the card can be written
        pickle.dump({"train": enc, "held": enc[:6], "stats": shipped}, fh)


def test_pretrain_stage_runs_without_shared_data_and_records_the_device(tok, seed_sentences, tmp_path):
    """What the GPU machine runs (no ../shared there), on the CPU: the CLI continues the shipped model
    for a few steps with a batch size of its own and writes a loadable folder whose log names the device."""
    from scripts import build_news_model

    _tiny_work(tok, seed_sentences, tmp_path / "work")
    out = tmp_path / "out"
    rc = build_news_model.main(["pretrain", "--data-dir", str(tmp_path / "absent"), "--work", str(tmp_path / "work"),
                                "--out", str(out), "--objective", "mlm", "--init-from", str(MODEL_DIR),
                                "--max-steps", "3", "--batch-size", "2", "--device", "cpu", "--threads", "1"])
    assert rc == 0
    log = json.loads((out / "training_log.json").read_text(encoding="utf-8"))
    assert log["steps"] == 3 and log["device"] == "cpu" and log["hparams"]["batch_size"] == 2
    assert log["machine"].endswith(", 1 thread")  # --threads 1
    # a round continuing a news-pretrained model keeps the earlier rounds' logs, and its card names each
    from scripts.tiny_model.rounds import rounds

    shipped = json.loads((MODEL_DIR / "training_log.json").read_text(encoding="utf-8"))
    assert [r["steps"] for r in rounds(log)] == [r["steps"] for r in rounds(shipped)] + [3]
    flat = " ".join((out / "README.md").read_text(encoding="utf-8").split())
    assert "rounds, each continuing the last" in flat and "then 0 minutes on one CPU thread (3 steps)" in flat
    assert f"| {len(rounds(log))} | round {len(rounds(log)) - 1} | 3 |" in flat
    assert "models/arabert-tiny" in flat and "at equal compute" in flat  # the first round's start and comparison
    from transformers import AutoModelForTokenClassification

    assert AutoModelForTokenClassification.from_pretrained(str(out), num_labels=3)


def test_pretrain_on_cuda_without_a_gpu_says_so(tmp_path, tok, seed_sentences, capsys):
    import torch

    from scripts import build_news_model

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    _tiny_work(tok, seed_sentences, tmp_path / "work")
    rc = build_news_model.main(["pretrain", "--work", str(tmp_path / "work"), "--out", str(tmp_path / "o"),
                                "--init-from", str(MODEL_DIR), "--device", "cuda", "--max-steps", "1"])
    assert rc == 2 and "sees no CUDA GPU" in capsys.readouterr().err


def test_fp16_weights_from_the_gpu_machine_come_back_to_fp32(tmp_path):
    import shutil

    import torch
    from safetensors.torch import load_file, save_file

    from scripts import model_fp32

    shutil.copytree(MODEL_DIR, tmp_path / "m")
    path = tmp_path / "m" / "model.safetensors"
    save_file({k: v.half() for k, v in load_file(str(path)).items()}, str(path), metadata={"format": "pt"})
    assert model_fp32.to_fp32(tmp_path / "m") == 0
    assert {v.dtype for v in load_file(str(path)).values()} == {torch.float32}
    assert model_fp32.to_fp32(tmp_path / "absent") == 2
