"""What a model card says, read once from a finished run directory: the model's araft settings and
labels, metrics.json, run.json (typed, through RunDir) and the data licenses."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from araft.config import TrainConfig
from araft.errors import ConfigError
from araft.hub.licenses import DataLicense, base_model_license, run_data_licenses
from araft.modelio import ModelSettings
from araft.rundir import RunDir
from araft.runinfo import RunInfo
from araft.tasks.base import Task
from araft.tasks.registry import task_named

# Readable names of the data configs araft ships; anything else is shown by its config name.
DATASET_NAMES = {
    "anercorp": "ANERcorp (CAMeL Lab train split, reconstructed; dev = last 10% of train)",
    "aqmar": "AQMAR Arabic Wikipedia NER",
    "seed": "araft seed article (test fixture)",
    "seed_claims": "araft seed article (test fixture)",
    "checkthat_claims": "CheckThat! 2024 Task 1 Arabic (check-worthiness)",
    "subjectivity": "CheckThat! 2024 Task 2 Arabic (subjectivity)",
    "claims_obstacles": "araft claims/obstacles corpus (SaudiNewsNet articles)",
}
SPLIT_ORDER = ("test", "dev")
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")


@dataclass
class RunFacts:
    """Everything the card says, read once from the run directory."""
    repo_id: str
    task: Task
    settings: ModelSettings          # saved with the model (config.json: araft)
    labels: list[str]
    metrics: dict[str, Any]
    run: RunInfo                     # run.json
    licenses: list[DataLicense] = field(default_factory=list)
    base_license: DataLicense | None = None

    @property
    def config(self) -> TrainConfig | None:
        return self.run.config

    @property
    def data_name(self) -> str:
        return (self.config.data.name if self.config else None) or "data"

    @property
    def base_model(self) -> str:
        return (self.config.model.name_or_path if self.config else None) or \
            self.metrics.get("model", "")

    def splits(self) -> list[tuple[str, dict[str, Any]]]:
        """Scored splits, test first, then dev, then the extra evaluation sets."""
        scored = {k: v for k, v in (self.metrics.get("splits") or {}).items() if isinstance(v, dict)}
        order = [s for s in SPLIT_ORDER if s in scored] + sorted(set(scored) - set(SPLIT_ORDER))
        return [(s, scored[s]) for s in order]

    def same_as_train(self, split: str) -> bool:
        """Whether a split's file is the training file itself (then its scores say nothing about
        unseen text)."""
        train, other = self.run.data.get("train"), self.run.data.get(split)
        return bool(train and train.sha256) and other is not None and train.sha256 == other.sha256


def load_facts(run_root: str | Path, repo_id: str) -> RunFacts:
    """Read model/config.json, metrics.json and run.json of a finished run."""
    run = RunDir(Path(run_root))
    missing = [p.name for p in (run.model / "config.json", run.metrics_file, run.run_file)
               if not p.is_file()]
    if missing:
        raise ConfigError(f"{run.root}: not a finished araft run (missing "
                          f"{', '.join('model/' + m if m == 'config.json' else m for m in missing)})")
    settings = run.model_settings()
    if settings is None:
        raise ConfigError(f"{run.model}: config.json has no 'araft' settings; not an araft model")
    config = json.loads((run.model / "config.json").read_text(encoding="utf-8"))
    id2label = {int(k): v for k, v in (config.get("id2label") or {}).items()}
    task = task_named(settings.task)
    labels = task.labels_from_ids([id2label[k] for k in sorted(id2label)])
    info = run.info()
    facts = RunFacts(repo_id, task, settings, labels, run.metrics(), info,
                     run_data_licenses(info.data))
    facts.base_license = base_model_license(facts.base_model)
    return facts


def model_name(repo_id: str) -> str:
    return repo_id.split("/")[-1]


def hub_base_model(name_or_path: str) -> str | None:
    """A base model the Hub can link to: an ``org/name`` id, not a local folder."""
    if not name_or_path or name_or_path.startswith((".", "/", "~")) or Path(name_or_path).exists():
        return None
    return name_or_path if _HUB_ID.match(name_or_path) else None


def dataset_label(facts: RunFacts, split: str) -> tuple[str, str, str | None]:
    """(dataset type, dataset name, split) for a scored split; extra evaluation sets are their
    own dataset, named after the set."""
    if split in ("train", "dev", "test"):
        return facts.data_name, DATASET_NAMES.get(facts.data_name, facts.data_name), split
    return split, DATASET_NAMES.get(split, split), None
