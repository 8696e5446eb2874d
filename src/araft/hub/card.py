"""The model card of a run: Hub metadata (with a ``model-index`` of the run's scores) and a body.

Built with huggingface_hub's ModelCard / ModelCardData / EvalResult, so what the Hub parses is
what araft measured: every number in the model-index is read from the run's metrics.json as is.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from araft.errors import ConfigError
from araft.hub.licenses import DataLicense, base_model_license, card_license, run_data_licenses
from araft.rundir import RunDir

PIPELINE_TAGS = {"ner": "token-classification", "claims": "text-classification"}
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
    task: str
    settings: dict[str, Any]
    labels: list[str]
    metrics: dict[str, Any]
    run: dict[str, Any]
    licenses: list[DataLicense] = field(default_factory=list)
    base_license: DataLicense | None = None

    @property
    def config(self) -> dict[str, Any]:
        return self.run.get("config") or {}

    @property
    def data_name(self) -> str:
        return (self.config.get("data") or {}).get("name") or "data"

    @property
    def base_model(self) -> str:
        return (self.config.get("model") or {}).get("name_or_path") or self.metrics.get("model", "")

    def splits(self) -> list[tuple[str, dict[str, Any]]]:
        """Scored splits, test first, then dev, then the extra evaluation sets."""
        scored = {k: v for k, v in (self.metrics.get("splits") or {}).items() if isinstance(v, dict)}
        order = [s for s in SPLIT_ORDER if s in scored] + sorted(set(scored) - set(SPLIT_ORDER))
        return [(s, scored[s]) for s in order]

    def same_as_train(self, split: str) -> bool:
        """Whether a split's file is the training file itself (then its scores say nothing about
        unseen text)."""
        data = self.run.get("data") or {}
        train, other = (data.get("train") or {}).get("sha256"), (data.get(split) or {}).get("sha256")
        return bool(train) and train == other


def load_facts(run_root: str | Path, repo_id: str) -> RunFacts:
    """Read model/config.json, metrics.json and run.json of a finished run."""
    run = RunDir(Path(run_root))
    missing = [p.name for p in (run.model / "config.json", run.metrics_file, run.run_file)
               if not p.is_file()]
    if missing:
        raise ConfigError(f"{run.root}: not a finished araft run (missing "
                          f"{', '.join('model/' + m if m == 'config.json' else m for m in missing)})")
    config = json.loads((run.model / "config.json").read_text(encoding="utf-8"))
    settings = config.get("araft") or {}
    if "preprocess" not in settings:
        raise ConfigError(f"{run.model}: config.json has no 'araft' settings; not an araft model")
    id2label = {int(k): v for k, v in (config.get("id2label") or {}).items()}
    labels = [id2label[k] for k in sorted(id2label)]
    task = settings.get("task", "ner")
    if task == "ner":
        labels = sorted({t[2:] for t in labels if t != "O"})
    info = run.run_info()
    facts = RunFacts(repo_id, task, settings, labels, run.metrics(), info,
                     run_data_licenses(info.get("data") or {}))
    facts.base_license = base_model_license(facts.base_model)
    return facts


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


# metric key in metrics.json -> (model-index type, average, readable name)
NER_METRICS = {
    "micro_f1": ("f1", "micro", "micro F1 (entity-level, strict IOB2, seqeval)"),
    "macro_f1": ("f1", "macro", "macro F1 over entity types (entity-level, strict IOB2, seqeval)"),
    "micro_precision": ("precision", "micro", "micro precision (entity-level, strict IOB2, seqeval)"),
    "micro_recall": ("recall", "micro", "micro recall (entity-level, strict IOB2, seqeval)"),
}
CLAIMS_METRICS = {
    "micro_f1": ("f1", "micro", "micro F1 over sentence labels"),
    "macro_f1": ("f1", "macro", "macro F1 over sentence labels"),
    "micro_precision": ("precision", "micro", "micro precision over sentence labels"),
    "micro_recall": ("recall", "micro", "micro recall over sentence labels"),
}


def metric_table(task: str) -> dict[str, tuple[str, str, str]]:
    return CLAIMS_METRICS if task == "claims" else NER_METRICS


def eval_results(facts: RunFacts):
    """One EvalResult per (scored split, headline metric); values exactly as in metrics.json."""
    from huggingface_hub import EvalResult

    task_type = PIPELINE_TAGS.get(facts.task, "token-classification")
    task_name = "Named entity recognition" if facts.task == "ner" else "Sentence classification"
    out = []
    for split, scores in facts.splits():
        dtype, dname, dsplit = dataset_label(facts, split)
        for key, (mtype, average, mname) in metric_table(facts.task).items():
            if key not in scores:
                continue
            out.append(EvalResult(task_type=task_type, task_name=task_name, dataset_type=dtype,
                                  dataset_name=dname, dataset_split=dsplit, metric_type=mtype,
                                  metric_value=float(scores[key]), metric_name=mname,
                                  metric_config=average))
    return out


def model_name(repo_id: str) -> str:
    return repo_id.split("/")[-1]


def card_data(facts: RunFacts, *, license: str | None = None):
    """The card's YAML metadata."""
    from huggingface_hub import ModelCardData

    known_base = [facts.base_license] if facts.base_license and facts.base_license.license_id else []
    lic = license or card_license(facts.licenses + known_base)
    extra: dict[str, Any] = {}
    if lic == "other":
        extra = {"license_name": "mixed-licenses", "license_link": "README.md"}
    tags = ["araft", "arabic", "arabert", "ner" if facts.task == "ner" else "sentence-classification"]
    results = eval_results(facts)
    return ModelCardData(
        language="ar", license=lic, library_name="transformers",
        base_model=hub_base_model(facts.base_model), datasets=[facts.data_name],
        pipeline_tag=PIPELINE_TAGS.get(facts.task, "token-classification"), tags=tags,
        metrics=sorted({r.metric_type for r in results}) or None,
        model_name=model_name(facts.repo_id), eval_results=results or None, **extra)


def build_card(run_root: str | Path, repo_id: str, *, license: str | None = None):
    """The ModelCard (metadata + body) for a finished run."""
    from huggingface_hub import ModelCard

    from araft.hub.card_text import card_body

    facts = load_facts(run_root, repo_id)
    data = card_data(facts, license=license)
    return ModelCard(f"---\n{data.to_yaml()}\n---\n\n{card_body(facts, data)}")
