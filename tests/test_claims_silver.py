"""The claims stage of the embedded model's build (scripts/tiny_model/claims_silver.py): news sentences
from the pretraining pool only, scored by the corpus's TF-IDF teacher reproducibly, learnt as soft targets
by a sentence head, and the encoder exported with its trained pooler."""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from scripts import build_news_model
from scripts.tiny_model import claims_silver, claims_student, news_corpus

ROOT = Path(__file__).resolve().parents[1]
START = ROOT / "models" / "arabert-mini-news-silver"

os.environ.setdefault("HF_HUB_OFFLINE", "1")

NEGOTIATION = "وقال المتحدث إن المفاوضات تعثرت بسبب رفض الطرف الآخر تقديم أي تنازلات حول الحدود."
CULTURE = "افتتح أمير المنطقة مساء أمس المعرض السنوي للكتاب بمشاركة عشرات دور النشر العربية."


def _snn(folder: Path, articles: list[dict]) -> Path:
    path = folder / news_corpus.SNN_JSONL
    path.parent.mkdir(parents=True)
    path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8")
    return folder


def test_news_sentences_keep_the_text_as_written_and_only_the_pretraining_pool(tmp_path):
    claims = tmp_path / "claims"
    claims.mkdir()
    held = {"id": "co_1", "text": "عنوان خبر المفاوضات المحتجز\nنص الخبر المحتجز في المدونة."}
    (claims / "train.jsonl").write_text(json.dumps(held, ensure_ascii=False) + "\n", encoding="utf-8")
    data = _snn(tmp_path / "data", [
        {"id": "a", "date": "2015-07-30", "title": "خبر عادي عن الحدود",
         "content": f"{NEGOTIATION} {CULTURE} قصير جدا. {NEGOTIATION}"},
        {"id": "b", "date": "2015-07-23", "title": "يوم محتجز", "content": CULTURE},  # a held-back day
        {"id": "c", "date": "2015-07-30", "title": "عنوان خبر المفاوضات المحتجز", "content": CULTURE},  # a copy
    ])
    pool, notes = claims_silver.news_sentences(data, claims, set())
    assert [text for text, _ in pool] == ["خبر عادي عن الحدود", NEGOTIATION, CULTURE]
    words = pool[1][1]
    assert words[-2:] == ["الحدود", "."]  # words are araft's, the text keeps its punctuation attached
    assert notes["held_back_days"] == 1 and notes["held_back_claims_and_copies"] == 1
    assert notes["duplicate_sentences_dropped"] == 1  # the repeated sentence, once


def test_label_news_scores_with_the_corpus_teacher_reproducibly(tmp_path):
    from araft.corpus.segment import split_sentences, split_words

    texts = [NEGOTIATION, CULTURE] + [f"{CULTURE[:-1]} رقم {i}." for i in range(8)]
    pool = [(t, [w.text for w in split_words(t, *split_sentences(t)[0])]) for t in texts]
    out = [tmp_path / "a.jsonl", tmp_path / "b.jsonl"]
    runs = [claims_silver.label_news(pool, 6, seed=3, out=o) for o in out]
    assert out[0].read_bytes() == out[1].read_bytes()
    rows, counts = runs[0]
    assert len(rows) == 6 and counts["eligible"] == 10 and counts["teacher_train_sentences"] > 10_000
    assert all(0 <= p <= 1 for _, target in rows for p in target)
    assert {"claim", "obstacle"} == set(counts["teacher"]) == set(counts["mean_target"])
    written = [json.loads(line) for line in out[0].read_text(encoding="utf-8").splitlines()]
    assert [r["words"] for r in written] == [w for w, _ in rows]
    both, _ = claims_silver.label_news(pool[:2], 2, seed=0, out=tmp_path / "c.jsonl")
    (_, negotiation), (_, culture) = both  # sample keeps the pool's order
    assert negotiation[1] > culture[1]  # an impasse scores higher as an obstacle than a book fair


def _student_cfg(tmp_path):
    from araft.config import compose

    return compose([f"paths.output_root={tmp_path / 'o'}", f"paths.cache_dir={tmp_path / 'c'}",
                    "experiment=claims_obstacles_tiny", f"model.name_or_path={START}",
                    "model.max_length=16", "model.stride=4", "trainer.max_steps=3", "trainer.batch_size=4",
                    "trainer.eval_strategy=no", "trainer.save_strategy=no"], root=str(ROOT))


def _words(text: str) -> list[str]:
    from araft.corpus.segment import split_words

    return [w.text for w in split_words(text, 0, len(text))]


def test_student_learns_soft_targets_and_its_pooler_is_exported(tmp_path):
    import torch
    from safetensors import safe_open
    from transformers import AutoModelForMaskedLM, AutoModelForSequenceClassification

    from araft.tasks.base_model import load_base
    from scripts.tiny_model.silver import export_encoder

    cfg = _student_cfg(tmp_path)
    words = _words(NEGOTIATION)
    rows = [(words, [0.9, 0.7]), (words[:4], [0.2, 0.05])] * 4
    features, cut = claims_student.student_features(load_base(cfg).encoder, rows, 16)
    assert cut == 4 and all(len(ids) <= 16 for ids in features["input_ids"])
    assert features["labels"][0] == pytest.approx([0.9, 0.7])  # soft, not rounded to 0/1
    figures = claims_student.train_student(cfg, rows, tmp_path / "run")
    assert figures["steps"] == 3 and np.isfinite(figures["train_loss"]) and figures["truncated_sentences"] == 4
    student = AutoModelForSequenceClassification.from_pretrained(str(tmp_path / "run" / "model"))
    assert student.config.problem_type == "multi_label_classification"
    n = export_encoder(tmp_path / "run" / "model", START, tmp_path / "out")
    with safe_open(str(tmp_path / "out" / "model.safetensors"), "pt") as f:
        assert "bert.pooler.dense.weight" in f.keys()
    mlm = AutoModelForMaskedLM.from_pretrained(str(tmp_path / "out"))
    assert n == sum(p.numel() for p in mlm.parameters()) + 256 * 256 + 256
    again = AutoModelForSequenceClassification.from_pretrained(str(tmp_path / "out"), num_labels=2)
    w = "pooler.dense.weight"
    assert torch.allclose(again.bert.state_dict()[w], student.bert.state_dict()[w], atol=2e-3)


def test_joint_student_learns_entity_tags_beside_soft_targets_without_cutting_a_sentence(tmp_path):
    import torch

    from araft.tasks.base_model import load_base
    from araft.tasks.joint.model import load_joint

    cfg = _student_cfg(tmp_path)
    words = _words("وقال وزير الخارجية السعودي عادل الجبير في الرياض إن المحادثات تعثرت") + _words(NEGOTIATION)
    tags = ["O"] * len(words)
    tags[words.index("عادل")], tags[words.index("الجبير")] = "B-PERS", "I-PERS"
    tags[words.index("الرياض")] = "B-LOC"
    rows, seqs = [(words, [0.8, 0.6]), (words[:3], [0.1, 0.0])] * 4, [tags, tags[:3]] * 4
    features = claims_student.joint_features(load_base(cfg).encoder, rows, seqs, 16, 4)
    assert len(features) > len(rows)  # the long sentence has several windows: none is cut
    assert all(f["sentence_labels"] in ([0.8, 0.6], [0.1, 0.0]) for f in features)
    assert any(1 in f["labels"] for f in features)  # B-LOC's id reaches the token labels
    figures = claims_student.train_student(cfg, rows, tmp_path / "run", seqs)
    assert figures["entity_head"] and figures["steps"] == 3 and figures["truncated_sentences"] == 0
    student = load_joint(tmp_path / "run" / "model")
    assert student.config.sentence_labels == ["claim", "obstacle"]
    assert student.config.id2label[1] == "B-LOC"
    with torch.no_grad():
        out = student(input_ids=torch.tensor([features[0]["input_ids"]]))
    assert out.logits.shape[-1] == 9 and out.sentence_logits.shape == (1, 2)
    # --sentence-weight reaches the loss: the same steps with the sentences weighed 0 and 4
    losses = {w: claims_student.train_student(cfg, rows, tmp_path / f"w{w}", seqs, sentence_weight=w)
              for w in (0.0, 4.0)}
    assert losses[4.0]["sentence_weight"] == 4.0
    assert losses[4.0]["train_loss"] > losses[0.0]["train_loss"] + 1.0  # 4 x a BCE of about 0.6


def test_claims_silver_stage_needs_a_starting_model_and_the_data(tmp_path, capsys):
    out = str(tmp_path / "m")
    assert build_news_model.main(["claims-silver", "--out", out, "--data-dir", str(tmp_path)]) == 2
    assert "claims-silver needs --init-from" in capsys.readouterr().err
    assert build_news_model.main(["claims-silver", "--init-from", str(START), "--out", out,
                                  "--data-dir", str(tmp_path / "none")]) == 2
    assert "data folder" in capsys.readouterr().err


MODEL = ROOT / "models" / "arabert-mini-news-claims"


@pytest.mark.skipif(not MODEL.is_dir(), reason="models/arabert-mini-news-claims not built")
def test_committed_claims_model_brings_its_trained_pooler_and_its_card_says_who_labelled():
    import torch
    from safetensors import safe_open
    from transformers import AutoModelForSequenceClassification

    model = AutoModelForSequenceClassification.from_pretrained(str(MODEL), num_labels=2)
    assert next(model.parameters()).dtype == torch.float32
    with safe_open(str(MODEL / "model.safetensors"), "pt") as f:
        pooler = f.get_tensor("bert.pooler.dense.weight").float()
    assert torch.allclose(model.bert.pooler.dense.weight, pooler)  # loaded, not freshly initialised
    assert model.config.araft == {"max_length": 128, "preprocess": "arabertv02"}
    log = json.loads((MODEL / "training_log.json").read_text(encoding="utf-8"))
    cs = log["claims_silver"]
    assert log["stage"] == "claims-silver" and cs["sentences"] >= 50_000
    auc = cs["dev_roc_auc"]  # it took in the teacher's ranking without a gold label (random: 0.5)
    # the sentences weigh 3 against the tags: the obstacle ranking is kept (at 1 it fell to 0.73)
    assert auc["claim"]["student"] > 0.85 and auc["obstacle"]["student"] > 0.8
    assert cs["entity_head"] and cs["sentence_weight"] == 3 and sum(cs["crf"]["entities"].values()) > 10_000
    card = (MODEL / "README.md").read_text(encoding="utf-8")
    assert card.startswith("---\nlicense: cc-by-nc-sa-4.0")
    assert "No person annotated anything for this model" in card and "annotated by AI agents" in card
    assert cs["command"] in card and "Not measured" not in card
