"""What was run (from run.json, typed: RunInfo) and on what data (from the predictions' gold
annotation)."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from araft.modelio import ModelSettings
from araft.reporting.collect import RunData
from araft.reporting.doc import Table, fmt
from araft.rundir import model_settings_at
from araft.runinfo import RunInfo
from araft.tasks.registry import task_named

# (label, dotted key in run.json["config"]) for the hyper-parameters a reviewer asks about first.
KEY_PARAMS = [
    ("learning rate", "trainer.lr"), ("epochs", "trainer.epochs"), ("max steps", "trainer.max_steps"),
    ("batch size", "trainer.batch_size"), ("gradient accumulation", "trainer.grad_accum"),
    ("warmup ratio", "trainer.warmup_ratio"), ("weight decay", "trainer.weight_decay"),
    ("scheduler", "trainer.scheduler"), ("precision", "trainer.precision"),
    ("processes", "trainer.processes"), ("early stopping patience", "trainer.early_stopping_patience"),
    ("heads first", "trainer.heads_first"),
    ("max length", "model.max_length"), ("window stride", "model.stride"),
    ("sentence context", "task.context"), ("context words per side", "task.context_words"),
    ("multi-label", "task.multi_label"),
    ("sentence loss weight", "task.sentence_loss_weight"),
    ("sentence loss schedule", "task.sentence_loss_schedule"),
    ("TF-IDF blend", "task.tfidf_blend"), ("TF-IDF reads the article", "task.tfidf_context"),
    ("seed", "seed"),
]


def _model_settings(run: RunData) -> ModelSettings | None:
    """The araft settings saved with the model, when the model folder is on this machine (the
    run's model/, or the model an `araft evaluate --out` directory names)."""
    named = Path(str(run.metrics.get("model") or ""))
    for cand in (run.root / "model", named / "model", named):
        if str(cand) not in ("", ".", "model"):
            settings = model_settings_at(cand)
            if settings is not None:
                return settings
    return None


def blend_note(settings: ModelSettings | None, off: bool, found: dict | None) -> str:
    """The TF-IDF blend as this run or evaluation used it; ``found``: what the training run chose
    it on (metrics.json "finalized")."""
    if off and settings:  # `araft evaluate --no-tfidf`
        return ("off for this evaluation (--no-tfidf): the encoder's scores alone, decided with the "
                f"thresholds dev chose for it, {json.dumps(settings.encoder_thresholds)}; the model "
                f"itself blends (weight {settings.tfidf_weight:g})")
    dev = (found or {}).get("dev_micro_f1") or {}
    weight = settings.tfidf_weight if settings and settings.tfidf_weight else (found or {}).get("weight", 0)
    alone = f"; dev micro F1 {dev['0']:.3f} with the encoder alone, " if dev else ""
    if not weight:
        best = max((w for w in dev if w != "0"), key=dev.get, default=None)
        blended = f"{dev[best]:.3f} at best blended (weight {best})" if alone and best else ""
        return "tried: dev kept the encoder alone (weight 0), so nothing is saved" + alone + blended
    at = f"{dev[f'{weight:g}']:.3f} at this weight (every weight: metrics.json, 'finalized')" if alone else ""
    article = ", TF-IDF reading each sentence's article too" if settings and settings.tfidf_context else ""
    return (f"weight {weight:g} on TF-IDF's logits beside the encoder's{article}, chosen on dev "
            f"(tfidf.json beside the model){alone}{at}")


def run_summary(run: RunData) -> Table:
    info = run.info
    config = info.config_values() if info else {}
    settings = _model_settings(run)
    rows: list[list[Any]] = [
        ["run directory", str(run.root)],
        ["task", run.task],
        ["experiment", run.metrics.get("experiment") or config.get("experiment_name")],
        ["model", config.get("model.name_or_path") or run.metrics.get("model")],
        ["preprocessing mode", config.get("model.preprocess") or (settings and settings.preprocess)],
    ]
    if config:
        rows.append(["hyper-parameters", " · ".join(
            f"{label} {_param(config[key])}" for label, key in KEY_PARAMS
            if key in config and _applies(key, config[key], run.task))])
    elif settings:
        rows.append(["max length", settings.max_length])
        if settings.thresholds:
            rows.append(["thresholds", json.dumps(settings.thresholds)])
    blend = (run.metrics.get("finalized") or {}).get("tfidf_blend")
    if (settings and settings.tfidf_weight) or blend:
        rows.append(["TF-IDF blend", blend_note(settings, run.metrics.get("tfidf_blend") == "off", blend)])
    rows += _provenance_rows(info) if info else []
    rows.append(["best checkpoint", run.metrics.get("best_checkpoint")])
    rows.append(["selected on", run.metrics.get("selected_on")])
    if info is None:
        rows.append(["note", "no run.json here (an `araft evaluate --out` directory): training "
                             "settings are unknown"])
    return Table(["", "value"], [r for r in rows if r[1] not in (None, "")],
                 "From run.json and metrics.json.")


def _provenance_rows(info: RunInfo) -> list[list[Any]]:
    commit, dur, pk = info.git.commit, info.durations_s, info.packages
    return [
        ["git commit", (f"{commit[:12]}{' (uncommitted changes)' if info.git.dirty else ''}"
                        if commit else None)],
        ["duration", " · ".join(f"{k} {v:.0f} s" for k, v in dur.items()
                                if isinstance(v, (int, float))) or None],
        ["hardware", _hardware(info.hardware)],
        ["packages", ", ".join(f"{k} {v}" for k, v in pk.items()
                               if k in ("torch", "transformers", "araft") and v) or None],
        ["resumed from", info.resumed_from],
    ]


# settings whose value here means "off": left out of the summary
OFF_WHEN_FALSE = ("trainer.heads_first", "task.tfidf_blend", "task.tfidf_context")
OFF = {"trainer.max_steps": lambda v: isinstance(v, int) and v <= 0,
       **{key: (lambda v: not v) for key in OFF_WHEN_FALSE}}


def _applies(key: str, value: Any, task: str) -> bool:
    """Leave out settings that do nothing here: task keys the task does not use (context on
    NER), settings left unset (None), and those off (OFF: max_steps unset, heads_first 0, no
    TF-IDF blend or article context)."""
    if value is None or not task_named(task).reads(key):
        return False
    return not (key in OFF and OFF[key](value))


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
    data = run.info.data if run.info else {}
    rows = [[name, d.path, d.sha256[:12]] for name, d in data.items()]
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
