"""The model card: metadata and model-index read back by huggingface_hub's own parsers give the
run's metrics; licenses come from the files next to the data; nothing local or secret leaks."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from araft.config import compose
from araft.rundir import RunDir
from araft.runinfo import DataFile, RunInfo

from conftest import ROOT

pytestmark = pytest.mark.filterwarnings("ignore")

NER_TAGS = ["O", "B-LOC", "I-LOC", "B-MISC", "I-MISC", "B-ORG", "I-ORG", "B-PERS", "I-PERS"]


def _scores(micro: float, macro: float) -> dict:
    return {"micro_f1": micro, "macro_f1": macro, "micro_precision": micro + 0.01,
            "micro_recall": micro - 0.01, "n_sentences": 12,
            "ci": {"micro_f1": [micro - 0.05, micro + 0.04]},
            "bootstrap": {"method": "percentile, sentences resampled with replacement",
                          "n_resamples": 200},
            "per_type": {t: {"precision": 0.5, "recall": 0.4, "f1": 0.444, "support": 3,
                             "f1_ci": [0.1, 0.7]} for t in ("LOC", "MISC", "ORG", "PERS")}}


def _sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest() if Path(path).is_file() else "-"


def _safetensors(payload: bytes) -> bytes:
    """A whole safetensors file holding ``payload`` as one uint8 tensor: push checks the weights
    are readable before staging them."""
    header = json.dumps({"w": {"dtype": "U8", "shape": [len(payload)],
                               "data_offsets": [0, len(payload)]}}).encode()
    header += b" " * (-len(header) % 8)
    return len(header).to_bytes(8, "little") + header + payload


def fake_run(root: Path, *, data: dict[str, Path], splits: dict[str, dict],
             base: str = "aubmindlab/bert-base-arabertv02", data_name: str = "anercorp",
             weights: bytes = b"\x00weights\x01" * 64, task: str = "ner") -> Path:
    """A finished-run directory with everything push reads, without training (seconds)."""
    (root / "model").mkdir(parents=True)
    labels = NER_TAGS if task == "ner" else ["claim", "obstacle"]
    settings = {"task": task, "preprocess": "arabertv02", "max_length": 128, "stride": 16}
    if task == "claims":
        settings.update(multi_label=True, context=0, thresholds={"claim": 0.4, "obstacle": 0.6})
    config = {"model_type": "bert", "id2label": {str(i): t for i, t in enumerate(labels)},
              "araft": settings}
    (root / "model" / "config.json").write_text(json.dumps(config), encoding="utf-8")
    (root / "model" / "model.safetensors").write_bytes(_safetensors(weights))
    (root / "model" / "vocab.txt").write_text("[PAD]\n[UNK]\n[CLS]\n[SEP]\n", encoding="utf-8")
    (root / "model" / "training_args.bin").write_bytes(b"pickle")
    (root / "metrics.json").write_text(json.dumps({
        "task": task, "model": base, "best_checkpoint": None, "log_history": [{"loss": 1.0}],
        "splits": {k: {**v, "file": str(data.get(k, "/nowhere/x.conll"))} for k, v in splits.items()},
    }), encoding="utf-8")
    # run.json through araft's own writer, from a config composed as `araft train` would
    cfg = compose([f"task={task}", f"model.name_or_path={base}", f"data.name={data_name}",
                   "trainer.lr=5e-5", "trainer.epochs=3", "trainer.batch_size=32",
                   "experiment_name=x"], root=str(ROOT))
    RunDir(root).write_info(RunInfo(
        cfg, data={k: DataFile(str(p), _sha256(p)) for k, p in data.items()}, seed=42,
        packages={"araft": "0.1.0", "transformers": "5.24.0"}))
    return root


@pytest.fixture
def anercorp_run(tmp_path):
    data = {"train": ROOT / "data" / "anercorp" / "train.conll",
            "dev": ROOT / "data" / "anercorp" / "dev.conll"}
    return fake_run(tmp_path / "run", data=data,
                    splits={"dev": _scores(0.81234567, 0.7654321), "seed": _scores(0.7, 0.6)})


def _stage(run: Path, out: Path, repo_id: str = "araft-org/anercorp-ner") -> Path:
    from araft.hub.staging import stage_run

    return stage_run(run, out, repo_id=repo_id).path


def _index_results(readme: Path) -> dict[tuple, float]:
    """(split, metric name) -> value, through metadata_load + model_index_to_eval_results."""
    from huggingface_hub import metadata_load
    from huggingface_hub.repocard_data import model_index_to_eval_results

    name, results = model_index_to_eval_results(metadata_load(readme)["model-index"])
    assert name
    return {(r.dataset_type, r.dataset_split, r.metric_type, r.metric_config): r.metric_value
            for r in results}


def test_card_round_trips_through_huggingface_hub(anercorp_run, tmp_path):
    from huggingface_hub import ModelCard

    staged = _stage(anercorp_run, tmp_path / "stage")
    card = ModelCard.load(staged / "README.md")
    data = card.data
    assert data.language == "ar" and data.pipeline_tag == "token-classification"
    assert data.license == "cc-by-sa-4.0"  # both data files are ANERcorp: CC BY-SA 4.0
    assert data.base_model == "aubmindlab/bert-base-arabertv02"
    assert data.datasets == ["anercorp"] and "araft" in data.tags
    metrics = json.loads((anercorp_run / "metrics.json").read_text())["splits"]
    got = _index_results(staged / "README.md")
    for key, value in [(("anercorp", "dev", "f1", "micro"), metrics["dev"]["micro_f1"]),
                       (("anercorp", "dev", "f1", "macro"), metrics["dev"]["macro_f1"]),
                       (("anercorp", "dev", "precision", "micro"), metrics["dev"]["micro_precision"]),
                       (("anercorp", "dev", "recall", "micro"), metrics["dev"]["micro_recall"]),
                       (("seed", None, "f1", "micro"), metrics["seed"]["micro_f1"])]:
        assert got[key] == value, key  # exactly the numbers of metrics.json
    assert len(got) == 8
    # the names say micro vs macro; the card object agrees with the raw YAML
    names = {r.metric_name for r in data.eval_results}
    assert any(n.startswith("micro F1") for n in names) and any(n.startswith("macro F1") for n in names)
    assert {(r.dataset_type, r.dataset_split, r.metric_type, r.metric_config): r.metric_value
            for r in data.eval_results} == got


def test_card_body_is_honest_and_complete(anercorp_run, tmp_path):
    staged = _stage(anercorp_run, tmp_path / "stage")
    text = (staged / "README.md").read_text(encoding="utf-8")
    for needle in ("## Results", "0.812 [0.762, 0.852]", "## Training", "`arabertv02`",
                   "## Intended use", "## Limitations", "## Data and licenses", "CC BY-SA 4.0",
                   "Benajiba", "## How to use", "Predictor.from_pretrained(\"araft-org/anercorp-ner\")",
                   "preprocess_text", "aggregation_strategy"):
        assert needle in text, needle
    assert str(ROOT) not in text  # local paths are reduced to file names
    assert sorted(p.name for p in staged.iterdir()) == [
        ".araft-staged", "README.md", "araft_metrics.json", "config.json", "model.safetensors",
        "vocab.txt"]
    public = json.loads((staged / "araft_metrics.json").read_text())
    assert "log_history" not in public and public["splits"]["dev"]["file"] == "dev.conll"


def test_scored_on_training_data_is_said_loudly(tmp_path):
    from huggingface_hub import ModelCard

    seed = ROOT / "seeds" / "seed.jsonl"
    run = fake_run(tmp_path / "run", data={"train": seed, "dev": seed},
                   splits={"dev": _scores(0.95, 0.9)}, data_name="seed")
    card = ModelCard.load(_stage(run, tmp_path / "stage") / "README.md")
    assert "dev (= training data)" in card.text and "scored on its own training data" in card.text
    # the seed states its license in its articles' meta, the repository's LICENSE (the code's)
    # is never taken for the data's
    assert "project fixture" in card.text and "Apache" not in card.text
    assert card.data.license == "unknown"


def test_license_ids_from_license_texts():
    from araft.hub.licenses import license_id

    assert license_id("License: CC BY-SA 4.0 (see LICENSE)") == "cc-by-sa-4.0"
    assert license_id("Creative Commons Attribution-ShareAlike 3.0 Unported (CC BY-SA 3.0)") == "cc-by-sa-3.0"
    assert license_id('"Attribution-NonCommercial-ShareAlike 4.0 International"') == "cc-by-nc-sa-4.0"
    assert license_id("CC BY-NC-SA 4.0") == "cc-by-nc-sa-4.0"
    assert license_id("research use, not stated") is None


def test_bundled_data_licenses_are_found():
    from araft.hub.licenses import card_license, data_license

    aner = data_license("train", ROOT / "data" / "anercorp" / "train.conll")
    aqmar = data_license("train", ROOT / "data" / "aqmar" / "train.conll")
    assert (aner.license_id, aqmar.license_id) == ("cc-by-sa-4.0", "cc-by-sa-3.0")
    assert any("Benajiba" in a for a in aner.attribution)
    assert card_license([aner, aqmar]) == "other"  # mixed: the card lists each
    gone = data_license("dev", "/nonexistent/dev.conll")
    assert gone.license_id is None and "not recorded" in gone.statement


def test_a_run_that_is_not_finished_is_refused(tmp_path):
    from araft.errors import ConfigError
    from araft.hub.card import build_card

    (tmp_path / "model").mkdir()
    with pytest.raises(ConfigError, match="not a finished araft run"):
        build_card(tmp_path, "org/name")


def test_staging_never_clears_a_folder_it_did_not_make(anercorp_run, tmp_path):
    from araft.errors import ConfigError

    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    with pytest.raises(ConfigError, match="not staged by araft"):
        _stage(anercorp_run, mine)
    assert (mine / "notes.txt").read_text() == "keep me"
    out = tmp_path / "stage"
    _stage(anercorp_run, out)
    (out / "stale.bin").write_bytes(b"old")
    _stage(anercorp_run, out)  # restaging its own folder is fine, and drops stale files
    assert not (out / "stale.bin").exists()


def test_seed_run_card_round_trips(seed_ner_run, tmp_path):
    """The real trained run: the card's numbers are the run's numbers."""
    from huggingface_hub import ModelCard

    run, metrics = seed_ner_run
    staged = _stage(run, tmp_path / "stage", repo_id="araft-org/seed-ner")
    got = _index_results(staged / "README.md")
    assert got[("seed", "dev", "f1", "micro")] == metrics["splits"]["dev"]["micro_f1"]
    assert got[("seed", "dev", "f1", "macro")] == metrics["splits"]["dev"]["macro_f1"]
    card = ModelCard.load(staged / "README.md")
    assert card.data.base_model is None  # the embedded model is a local folder, not a Hub id
    # pretrained on SaudiNewsNet: its NonCommercial license reaches the card of every model tuned from it
    assert "cc-by-nc-sa-4.0 (from the base model's card)" in card.text
    assert card.data.license != "cc-by-sa-4.0"
    assert (staged / "model.safetensors").read_bytes() == (run / "model" / "model.safetensors").read_bytes()


def test_claims_card(tmp_path):
    from huggingface_hub import ModelCard

    claims = ROOT / "data" / "claims_obstacles" / "annotations" / "A.jsonl"
    scores = {"micro_f1": 0.61, "macro_f1": 0.55, "micro_precision": 0.6, "micro_recall": 0.62,
              "per_label": {"claim": {"precision": 0.7, "recall": 0.6, "f1": 0.646, "support": 20}}}
    run = fake_run(tmp_path / "run", data={"train": claims, "test": claims},
                   splits={"test": scores}, data_name="claims_obstacles", task="claims")
    card = ModelCard.load(_stage(run, tmp_path / "stage", "org/claims") / "README.md")
    assert card.data.pipeline_tag == "text-classification"
    assert card.data.license == "cc-by-nc-sa-4.0"  # from data/claims_obstacles/LICENSE
    result = {r.metric_config: r for r in card.data.eval_results if r.metric_type == "f1"}
    assert result["micro"].metric_value == 0.61 and "sentence labels" in result["micro"].metric_name
    assert result["micro"].dataset_split == "test"
    assert "tuned on dev" in card.text and 'function_to_apply="sigmoid"' in card.text
    assert "| claim | 0.700 | 0.600 | 0.646 | 20 |" in card.text
