"""What was run (from run.json) and on what data (from the predictions' gold annotation)."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from araft.reporting.collect import RunData
from araft.reporting.doc import Table, fmt
from araft.tasks.registry import task_named

# (label, dotted key in run.json["config"]) for the hyper-parameters a reviewer asks about first.
KEY_PARAMS = [
    ("learning rate", "trainer.lr"), ("epochs", "trainer.epochs"), ("max steps", "trainer.max_steps"),
    ("batch size", "trainer.batch_size"), ("gradient accumulation", "trainer.grad_accum"),
    ("warmup ratio", "trainer.warmup_ratio"), ("weight decay", "trainer.weight_decay"),
    ("scheduler", "trainer.scheduler"), ("precision", "trainer.precision"),
    ("processes", "trainer.processes"), ("early stopping patience", "trainer.early_stopping_patience"),
    ("max length", "model.max_length"), ("window stride", "model.stride"),
    ("sentence context", "task.context"), ("multi-label", "task.multi_label"),
    ("seed", "seed"),
]


def flatten(obj: Any, prefix: str = "") -> dict[str, Any]:
    """{"a": {"b": 1}} -> {"a.b": 1}; lists stay values (compared whole)."""
    if not isinstance(obj, dict):
        return {prefix: obj} if prefix else {}
    out: dict[str, Any] = {}
    for key, value in obj.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict) and value:
            out.update(flatten(value, name))
        else:
            out[name] = value
    return out


def _model_settings(run: RunData) -> dict[str, Any]:
    """The araft settings saved with the model, when the model folder is on this machine."""
    for cand in (run.root / "model", Path(str(run.metrics.get("model") or "")) / "model",
                 Path(str(run.metrics.get("model") or ""))):
        cfg = cand / "config.json"
        if str(cand) not in ("", ".", "model") and cfg.is_file():
            try:
                raw = json.loads(cfg.read_text(encoding="utf-8")).get("araft")
            except (OSError, json.JSONDecodeError):
                continue
            if isinstance(raw, dict):
                return raw
    return {}


def run_summary(run: RunData) -> Table:
    info = run.info or {}
    config = flatten(info.get("config") or {})
    settings = _model_settings(run)
    git = info.get("git") or {}
    dur = info.get("durations_s") or {}
    hw = info.get("hardware") or {}
    pk = info.get("packages") or {}
    commit = git.get("commit")
    rows: list[list[Any]] = [
        ["run directory", str(run.root)],
        ["task", run.task],
        ["experiment", run.metrics.get("experiment") or config.get("experiment_name")],
        ["model", config.get("model.name_or_path") or run.metrics.get("model")],
        ["preprocessing mode", config.get("model.preprocess") or settings.get("preprocess")],
    ]
    if config:
        rows.append(["hyper-parameters", " · ".join(
            f"{label} {_param(config[key])}" for label, key in KEY_PARAMS
            if key in config and _applies(key, config[key], run.task))])
    elif settings:
        rows.append(["max length", settings.get("max_length")])
        if settings.get("thresholds"):
            rows.append(["thresholds", json.dumps(settings["thresholds"])])
    rows += [
        ["git commit", (f"{commit[:12]}{' (uncommitted changes)' if git.get('dirty') else ''}"
                        if commit else None)],
        ["duration", " · ".join(f"{k} {v:.0f} s" for k, v in dur.items()
                                if isinstance(v, (int, float))) or None],
        ["hardware", _hardware(hw)],
        ["packages", ", ".join(f"{k} {v}" for k, v in pk.items()
                               if k in ("torch", "transformers", "araft") and v) or None],
        ["resumed from", info.get("resumed_from")],
        ["best checkpoint", run.metrics.get("best_checkpoint")],
    ]
    if not info:
        rows.append(["note", "no run.json here (an `araft evaluate --out` directory): training "
                             "settings are unknown"])
    return Table(["", "value"], [r for r in rows if r[1] not in (None, "")],
                 "From run.json and metrics.json.")


def _applies(key: str, value: Any, task: str) -> bool:
    """Leave out settings that do nothing here: task keys the task does not use (context on
    NER), max_steps when unset."""
    if key.startswith("task.") and key[len("task."):] not in task_named(task).config_keys:
        return False
    return not (key == "trainer.max_steps" and isinstance(value, int) and value <= 0)


def _param(value: Any) -> str:
    """Hyper-parameters as written (3e-05, not a rounded 0.000)."""
    return f"{value:g}" if isinstance(value, float) else fmt(value)


def _hardware(hw: dict[str, Any]) -> str | None:
    if not hw:
        return None
    parts = [f"{hw.get('cpu_count')} CPUs"] if hw.get("cpu_count") else []
    if hw.get("gpus"):
        parts.append(", ".join(hw["gpus"]))
    elif hw.get("cuda") is False:
        parts.append("no GPU")
    if hw.get("platform"):
        parts.append(str(hw["platform"]))
    return " · ".join(parts) or None


def data_files(run: RunData) -> Table | None:
    data = (run.info or {}).get("data") or {}
    rows = [[name, d.get("path"), (d.get("sha256") or "")[:12]] for name, d in data.items()]
    if not rows:
        rows = [[n, s.file, ""] for n, s in run.splits.items() if s.file]
    return Table(["split", "file", "sha256"], rows, "Data files.") if rows else None


def label_counts(run: RunData) -> dict[str, dict[str, tuple[int, int]]]:
    """split -> label -> (gold count, predicted count): entities (NER) or sentences (claims), as
    the layer counts them."""
    out = {}
    for name, split in run.splits.items():
        gold: Counter = Counter()
        pred: Counter = Counter()
        for s in split.sentences:
            g, p = run.layer.gold_and_predicted(s)
            gold.update(g)
            pred.update(p)
        names = list(run.labels) + sorted((set(gold) | set(pred)) - set(run.labels))
        out[name] = {n: (gold[n], pred[n]) for n in names if gold[n] or pred[n] or n in run.labels}
    return out


def data_sizes(run: RunData) -> Table:
    cols, _ = run.layer.sizes([])
    rows = [[name, split.n_articles, len(split.sentences), *run.layer.sizes(split.sentences)[1]]
            for name, split in run.splits.items()]
    return Table(["split", "articles", "sentences", *cols], rows,
                 "Evaluated splits, counted from the gold annotation stored with the predictions.")


def distribution_table(counts: dict[str, dict[str, tuple[int, int]]], what: str) -> Table:
    splits = list(counts)
    names = list(dict.fromkeys(n for c in counts.values() for n in c))
    cols = [what] + [f"{s} {k}" for s in splits for k in ("gold", "predicted")]
    rows = [[n] + [v for s in splits for v in counts[s].get(n, (0, 0))] for n in names]
    return Table(cols, rows, f"Gold and predicted counts per {what}.")
