"""The silver stage of the embedded model's build (scripts/tiny_model/silver.py) and the model it made:
news tagged by the CRF teacher without ANERcorp dev, reproducibly; the encoder exported with the
starting model's masked-LM head, fp16 on disk and fp32 in memory; the committed model and its card."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from benchmarks.data_path import subset
from scripts import build_news_model
from scripts.tiny_model import silver

ROOT = Path(__file__).resolve().parents[1]
ANER = ROOT / "data" / "anercorp"
START = ROOT / "models" / "arabert-mini-news"
MODEL = ROOT / "models" / "arabert-mini-news-silver"

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def test_eligible_sentences_drop_short_long_and_dev_sentences():
    dev = ["قال", "الوزير", "في", "بيروت"]
    pool = [dev, ["أعلن", "الرئيس", "اليوم", "عن", "خطة"], ["نعم"], ["كلمة"] * 101]
    assert silver.eligible_sentences(pool, {" ".join(dev)}) == [pool[1]]


def test_sample_is_reproducible_and_refuses_more_than_the_pool():
    pool = [[f"w{i}", "x", "y", "z"] for i in range(50)]
    a, b = silver.sample(pool, 10, seed=13), silver.sample(pool, 10, seed=13)
    assert a == b and len(a) == 10 and len({s[0] for s in a}) == 10
    assert silver.sample(pool, 10, seed=14) != a
    with pytest.raises(ValueError, match="asked for 51 silver sentences but only 50"):
        silver.sample(pool, 51, seed=13)


def test_write_silver_reads_back_through_araft(tmp_path):
    from araft.corpus.formats import read_articles
    from araft.tasks.ner import sentence_words

    sents = [["زار", "محمد", "بن", "سلمان", "الرياض"], ["قال", "المتحدث", "إن", "الأمم", "المتحدة", "ترفض"]]
    tags = [["O", "B-PERS", "I-PERS", "I-PERS", "B-LOC"], ["O", "O", "O", "B-ORG", "I-ORG", "O"]]
    counts = silver.write_silver(sents, tags, tmp_path / "s.conll")
    assert counts == {"sentences": 2, "words": 11, "entities": {"LOC": 1, "ORG": 1, "PERS": 1}}
    back = sentence_words(read_articles(tmp_path / "s.conll"), with_gold=True)
    assert [[w.text for w in s.words] for s in back] == sents
    assert [list(s.gold) for s in back] == tags


@pytest.mark.parametrize("words, tags, message", [
    ([["a", "b"]], [["O"]], "silver sentence 0: 2 words but 1 tags"),
    ([["a", "b c"]], [["O", "O"]], r"silver sentence 0: word 'b c' is empty or holds whitespace"),
    ([["a"], ["b"]], [["O"]], "2 sentences but 1 tag sequences"),
])
def test_write_silver_refuses_what_conll_cannot_hold(tmp_path, words, tags, message):
    with pytest.raises(ValueError, match=message):
        silver.write_silver(words, tags, tmp_path / "s.conll")


def test_label_news_trains_the_crf_on_train_and_never_tags_dev(tmp_path):
    from benchmarks.crf import gold

    train = subset(ANER / "train.conll", tmp_path / "train.conll", 300)
    dev = subset(ANER / "dev.conll", tmp_path / "dev.conll", 40)
    dev_words = gold(dev)[0]
    news = dev_words[:20] + [ws for ws in gold(ANER / "train.conll")[0][1000:1060]]
    out = [tmp_path / "a.conll", tmp_path / "b.conll"]
    counts = [silver.label_news(news, train, dev, 25, seed=5, out=o, iterations=60) for o in out]
    assert out[0].read_bytes() == out[1].read_bytes()  # same seed, same silver file
    written = gold(out[0])[0]
    dev_keys = {" ".join(ws) for ws in dev_words}
    assert len(written) == 25 and not any(" ".join(ws) in dev_keys for ws in written)
    c = counts[0]
    assert c["eligible"] == sum(silver.MIN_WORDS <= len(ws) <= silver.MAX_WORDS
                                for ws in news[20:])
    assert c["teacher_train_sentences"] == 300 and 0 < c["teacher_dev_micro_f1"] <= 1
    assert sum(c["entities"].values()) > 0  # the CRF learnt to tag something
    # tagged a few sentences at a time (the memory of a 226k-sentence build), the tags are the same
    from benchmarks.crf import sentence_features

    crf, _ = silver.fit_crf(train, dev, iterations=60)
    whole = [list(t) for t in crf.predict([sentence_features(ws) for ws in news])]
    assert silver.tag_sentences(crf, news, chunk=7) == whole and len(whole) == len(news)


def test_a_pass_continuing_a_silver_pass_keeps_it_and_the_mlm_log_apart():
    mlm = {"objective": "mlm", "steps": 10, "finetune": [{"dev_f1_mean": 0.5}]}
    one = {"sentences": 3, "teacher_dev_micro_f1": 0.6}
    first = silver.stage_log(mlm, one)
    assert first == {"stage": "silver", "pretraining": mlm, "silver": one}
    first["finetune"] = [{"dev_f1_mean": 0.68}]  # as finetune_tiny --record adds it
    second = silver.stage_log(first, {"sentences": 3, "teacher": "build/t"})
    assert second["pretraining"] == mlm and second["silver"] == {"sentences": 3, "teacher": "build/t"}
    assert second["earlier_passes"] == [{"sentences": 3, "teacher_dev_micro_f1": 0.6,
                                         "finetune": [{"dev_f1_mean": 0.68}]}]
    third = silver.stage_log(second, {"sentences": 4})
    assert [p["sentences"] for p in third["earlier_passes"]] == [3, 3] and third["pretraining"] == mlm


def test_export_keeps_the_students_encoder_and_the_starting_mlm_head(tmp_path):
    import torch
    from safetensors import safe_open
    from transformers import AutoModelForMaskedLM, AutoModelForTokenClassification

    student = AutoModelForTokenClassification.from_pretrained(str(START), num_labels=9)
    with torch.no_grad():  # stands in for the silver pass: every encoder weight moves
        for p in student.bert.parameters():
            p.add_(0.01)
    student.save_pretrained(str(tmp_path / "student"))
    n = silver.export_encoder(tmp_path / "student", START, tmp_path / "out")
    out = AutoModelForMaskedLM.from_pretrained(str(tmp_path / "out"))
    start = AutoModelForMaskedLM.from_pretrained(str(START))
    assert n == sum(p.numel() for p in start.parameters())
    assert next(out.parameters()).dtype == torch.float32
    with safe_open(str(tmp_path / "out" / "model.safetensors"), "pt") as f:
        assert {f.get_tensor(k).dtype for k in f.keys()} == {torch.float16}
    w = "encoder.layer.0.attention.self.query.weight"
    assert torch.allclose(out.bert.state_dict()[w], student.bert.state_dict()[w], atol=2e-3)
    head = "cls.predictions.transform.dense.weight"
    assert torch.allclose(out.state_dict()[head], start.state_dict()[head], atol=2e-3)
    assert (tmp_path / "out" / "vocab.txt").read_bytes() == (START / "vocab.txt").read_bytes()


def test_silver_stage_needs_a_starting_model_and_the_data(tmp_path, capsys):
    assert build_news_model.main(["silver", "--out", str(tmp_path / "m"), "--data-dir", str(tmp_path)]) == 2
    assert "silver needs --init-from" in capsys.readouterr().err
    assert build_news_model.main(["silver", "--init-from", str(START), "--out", str(tmp_path / "m"),
                                  "--data-dir", str(tmp_path / "none")]) == 2
    assert "data folder" in capsys.readouterr().err


@pytest.mark.skipif(not MODEL.is_dir(), reason="models/arabert-mini-news-silver not built")
def test_committed_silver_model_loads_in_fp32_and_its_card_says_who_built_what():
    import torch
    from transformers import AutoModelForTokenClassification

    model = AutoModelForTokenClassification.from_pretrained(str(MODEL), num_labels=9)
    assert next(model.parameters()).dtype == torch.float32
    assert model.config.araft == {"max_length": 128, "preprocess": "arabertv02"}
    log = json.loads((MODEL / "training_log.json").read_text(encoding="utf-8"))
    assert log["stage"] == "silver" and log["silver"]["sentences"] >= 100_000
    card = (MODEL / "README.md").read_text(encoding="utf-8")
    assert card.startswith("---\nlicense: cc-by-nc-sa-4.0")
    assert "No person annotated anything for this model" in card and "nobody checked them" in card
    assert log["silver"]["command"] in card
    size = sum(p.stat().st_size for p in MODEL.iterdir() if p.is_file())
    assert size < 40_000_000
