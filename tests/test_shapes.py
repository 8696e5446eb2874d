"""Base-size shapes offline: the published architectures, the stand-in tokenizer, shape_check."""
from __future__ import annotations

import json

import pytest
from small_shapes import small_shape

from araft.standin import SHAPES_DIR, build_standin, shape_dir

PLACEHOLDERS = ["[رابط]", "[بريد]", "[مستخدم]"]
PUBLISHED = {  # layers, hidden, heads, intermediate, positions, vocabulary (shapes/README.md)
    "arabertv02-base": (12, 768, 12, 3072, 512, 64000),
    "araelectra-base": (12, 768, 12, 3072, 512, 64000),
    "camelbert-msa": (12, 768, 12, 3072, 512, 30000),
}
WORDS = ("قال محمد بن سلمان في الرياض إن شركة Google و OpenAI تعملان مع وزارة الاتصالات "
         "السعودية عام 2024 على مشروع جديد في مدينة نيوم قرب البحر الأحمر").split() * 3


def load(shape: str, name: str) -> dict:
    return json.loads((SHAPES_DIR / shape / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("shape", sorted(PUBLISHED))
def test_shapes_hold_the_published_figures_and_settings(shape, root):
    cfg, tok = load(shape, "config.json"), load(shape, "tokenizer_config.json")
    got = (cfg["num_hidden_layers"], cfg["hidden_size"], cfg["num_attention_heads"],
           cfg["intermediate_size"], cfg["max_position_embeddings"], cfg["vocab_size"])
    assert got == PUBLISHED[shape]
    assert tok["do_lower_case"] is False and tok["strip_accents"] is None
    assert (tok["never_split"] is None) == (shape == "camelbert-msa")
    model_yaml = (root / "configs/model" / f"{shape}.yaml").read_text(encoding="utf-8")
    assert f"shape: {shape}\n" in model_yaml


def test_standin_tokenizer_keeps_the_real_settings(tmp_path):
    from transformers import AutoTokenizer

    folder = build_standin(small_shape(tmp_path), WORDS, tmp_path / "cache")
    tok = AutoTokenizer.from_pretrained(folder)
    assert tok.is_fast and len(tok) == 3000  # exactly the shape's vocabulary size
    vocab = tok.get_vocab()
    for p in PLACEHOLDERS:  # never_split: one token, its own vocabulary entry
        assert tok.tokenize(f"قال {p} محمد") == ["قال", p, "محمد"]
        assert tok.convert_tokens_to_ids(p) == vocab[p] < 3000
    assert tok.tokenize("Google") == ["Google"]          # no lower-casing
    assert "##é" in tok.tokenize("café") or "é" in tok.tokenize("café")  # no accent stripping
    assert "##َ" in tok.tokenize("مَدينة")              # Arabic diacritics kept too
    settings = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))
    assert settings["do_lower_case"] is False and settings["model_max_length"] == 512


def test_standin_is_built_deterministically(tmp_path):
    shape = small_shape(tmp_path)
    a = build_standin(shape, WORDS, tmp_path / "a")
    b = build_standin(shape, WORDS, tmp_path / "b")
    assert a.name == b.name
    vocab = [json.loads((f / "tokenizer.json").read_text(encoding="utf-8"))["model"]["vocab"]
             for f in (a, b)]
    assert vocab[0] == vocab[1]


def test_camelbert_standin_has_no_placeholders(tmp_path):
    from transformers import AutoTokenizer

    folder = build_standin(small_shape(tmp_path, "camelbert-msa", 2500), WORDS, tmp_path / "c")
    tok = AutoTokenizer.from_pretrained(folder)
    assert len(tok) == 2500
    assert tok.tokenize("[رابط]")[0] == "["  # CAMeLBERT publishes no never_split


def test_unknown_shape_is_a_config_error():
    from araft.errors import ConfigError

    with pytest.raises(ConfigError, match="known shapes: arabertv02-base"):
        shape_dir("bert-base-nowhere")


def test_shape_check_runs_the_shape_path_and_records_steps(compose_cfg, tmp_path, root):
    """experiment=shape_check end to end at a reduced size: stand-in folder, random weights,
    windows planned at max_length 512, s/step and peak memory in run.json."""
    from araft.run import run_training

    shape = small_shape(tmp_path)
    cfg = compose_cfg("experiment=shape_check", f"model.shape={shape}", "data=seed",
                      f"data.dev={root / 'seeds' / 'seed.jsonl'}", "trainer.max_steps=2")
    assert cfg.model.max_length == 512 and cfg.model.standin
    run = tmp_path / "run"
    run_training(cfg, run)
    info = json.loads((run / "run.json").read_text(encoding="utf-8"))
    model = info["config"]["model"]
    assert "standins" in model["name_or_path"] and model["random_init"] is True
    steps = info["steps"]
    assert steps["n"] == 2 and steps["s_per_step"] > 0 and steps["tokens_per_s"] > 0
    assert 0 < steps["max_seq_len"] <= 512 and steps["peak_rss_mb"] > 100
    saved = json.loads((run / "model" / "config.json").read_text(encoding="utf-8"))
    assert saved["vocab_size"] == 3000 and saved["max_position_embeddings"] == 512


@pytest.mark.slow
@pytest.mark.parametrize("shape", sorted(PUBLISHED))
def test_real_base_shape_takes_one_step(shape, compose_cfg, tmp_path, root):
    """The published shape itself (110-135M parameters), one step, windows of up to 512."""
    from araft.run import run_training

    cfg = compose_cfg("experiment=shape_check", f"model={shape}", "data=seed",
                      f"data.dev={root / 'seeds' / 'seed.jsonl'}", "trainer.max_steps=1")
    run_training(cfg, tmp_path / "run")
    info = json.loads((tmp_path / "run" / "run.json").read_text(encoding="utf-8"))
    assert info["steps"]["n"] == 1
    saved = json.loads((tmp_path / "run" / "model" / "config.json").read_text(encoding="utf-8"))
    assert saved["vocab_size"] == PUBLISHED[shape][-1]
