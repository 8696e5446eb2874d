"""scripts.finetune_tiny: which earlier random-init runs may stand in for new ones."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from scripts import finetune_tiny

ROOT = Path(__file__).resolve().parents[1]
MODEL_DIR = ROOT / "models" / "arabert-tiny"


def _cfg(out: Path, model: Path, *extra: str):
    from araft.config import compose

    return compose(["experiment=anercorp_tiny", "seed=42", "model.random_init=true", "tracking=none",
                    *extra, f"model.name_or_path={model}", f"paths.output_root={out}"], root=str(ROOT))


def _fake_run(run_dir: Path, cfg, model: Path) -> None:
    """What run_training leaves that the check reads: run.json, metrics.json, the saved model."""
    from araft.config import to_dict

    (run_dir / "model").mkdir(parents=True)
    (run_dir / "run.json").write_text(json.dumps({"config": to_dict(cfg), "durations_s": {"total": 1.0}},
                                                 default=str))
    (run_dir / "metrics.json").write_text("{}")
    for name in ("config.json", "tokenizer.json"):
        shutil.copy(model / name, run_dir / "model" / name)


def test_random_run_is_reused_only_with_equal_settings_architecture_and_vocabulary(tmp_path):
    model = tmp_path / "model"
    shutil.copytree(MODEL_DIR, model, ignore=shutil.ignore_patterns("*.safetensors", "*.png"))
    run = tmp_path / "out" / "random-seed42"
    _fake_run(run, _cfg(tmp_path / "out", model), model)
    reusable = finetune_tiny.reusable_random_run

    assert reusable(run, _cfg(tmp_path / "elsewhere", model), model)  # output folder does not matter
    assert not reusable(run, _cfg(tmp_path / "out", model, "trainer.epochs=8"), model)
    assert not reusable(tmp_path / "out" / "missing", _cfg(tmp_path / "out", model), model)

    config = json.loads((model / "config.json").read_text(encoding="utf-8"))
    (model / "config.json").write_text(json.dumps(dict(config, num_hidden_layers=2)), encoding="utf-8")
    assert not reusable(run, _cfg(tmp_path / "out", model), model)  # another architecture
    (model / "config.json").write_text(json.dumps(config), encoding="utf-8")
    tok = (model / "tokenizer.json").read_text(encoding="utf-8")
    (model / "tokenizer.json").write_text(tok.replace('"[UNK]"', '"[UNKNOWN]"', 1), encoding="utf-8")
    assert not reusable(run, _cfg(tmp_path / "out", model), model)  # another vocabulary
