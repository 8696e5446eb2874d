"""Runs side by side: each metric per run and its difference to the first run, with a paired
bootstrap interval and p-value over the same sentences, and the config keys that differ.

The per-sentence counts are recomputed from each run's predictions (gold and predicted annotation
on the same sentences), so the pairing is exact: resample i draws the same sentences for every run.
Runs evaluated on different data cannot be paired and are refused (AraftError naming the files).
With unit="article" the counts are summed per article first (bootstrap.group_counts): labels
cluster by article, and resampling whole articles gives the honest interval.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from araft.errors import AraftError
from araft.metrics import article_groups as clustered_articles
from araft.metrics.bootstrap import (HEADLINE, EntityCounts, few_articles_note, group_counts,
                                     paired_bootstrap, scores_from_counts)
from araft.reporting.collect import RunData, is_run_dir, load_layers
from araft.tasks.registry import task_named

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
UNITS = ("sentence", "article")


def expand_runs(paths: Sequence[str | Path]) -> list[Path]:
    """Run directories; a sweep directory (Hydra multirun: 0/, 1/, ... each a run) expands to its
    runs in job order."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if is_run_dir(p):
            out.append(p)
            continue
        subs = [c for c in p.iterdir() if c.is_dir() and is_run_dir(c)] if p.is_dir() else []
        if not subs:
            raise AraftError(f"{p}: neither a run directory (with metrics.json) nor a sweep "
                             "directory (with run subfolders 0/, 1/, ...)")
        out += sorted(subs, key=_job_order)
    return out


def _job_order(path: Path) -> tuple:
    """Hydra job folders 0, 1, ..., 10 in numeric order; other names after them."""
    return (not path.name.isdigit(), int(path.name) if path.name.isdigit() else 0, path.name)


def split_digest(run: RunData, split: str) -> tuple[str | None, str | None]:
    """(sha256, path) of the file a split was evaluated on: run.json's hash, else the file's."""
    entry = run.info.data.get(split) if run.info else None
    if entry is not None and entry.sha256:
        return entry.sha256, entry.path or run.splits[split].file
    path = run.splits[split].file
    if path and Path(path).is_file():
        from araft.features import file_digest

        return file_digest(path), path
    return None, path


def _describe(label: str, run: RunData, digest: tuple[str | None, str | None]) -> str:
    sha, path = digest
    return (f"{label} ({run.root}) used {path or 'an unknown file'} "
            f"(sha256 {sha[:12] if sha else 'unknown'})")


def check_same_data(runs: Sequence[RunData], labels: Sequence[str]) -> list[list[str]]:
    """The splits every run was evaluated on, after checking they hold the same data: per split
    of the first run, its name in each run. A split is found under its own name, else under any
    name whose file has the same content (a joint run may score ANERcorp dev as an extra set that
    an NER run scores as dev)."""
    digests = [{s: split_digest(r, s) for s in r.splits} for r in runs]
    common = []
    for split in runs[0].splits:
        first = digests[0][split]
        names = [split]
        for run, found in zip(runs[1:], digests[1:]):
            same = [s for s, d in found.items() if first[0] and d[0] == first[0]]
            names.append(split if split in found and (split in same or not same)
                         else same[0] if same else None)
        if all(n is not None for n in names):
            common.append(names)
    if not common:
        have = "; ".join(f"{lab}: {', '.join(r.splits) or 'none'}" for lab, r in zip(labels, runs))
        raise AraftError(f"cannot compare: the runs share no evaluated split ({have})")
    for names in common:
        first = digests[0][names[0]]
        for lab, run, name, found in zip(labels[1:], runs[1:], names[1:], digests[1:]):
            other = found[name]
            if first[0] and other[0] and first[0] != other[0]:
                raise AraftError(f"cannot compare: the runs were evaluated on different data. Split "
                                 f"{names[0]!r}: {_describe(labels[0], runs[0], first)}, but "
                                 f"{_describe(lab, run, other)}")
            if not _same_sentences(runs[0], names[0], run, name):
                raise AraftError(f"cannot compare: split {names[0]!r} holds different sentences or "
                                 f"gold annotation: {_describe(labels[0], runs[0], first)}; "
                                 f"{_describe(lab, run, other)}")
    return common


def _same_sentences(a: RunData, split_a: str, b: RunData, split_b: str) -> bool:
    key = a.layer.gold_key
    return ([key(s) for s in a.splits[split_a].sentences]
            == [key(s) for s in b.splits[split_b].sentences])


def sentence_counts(run: RunData, split: str, labels: Sequence[str]) -> EntityCounts:
    """Per-sentence (tp, fp, fn) per type/label from the run's predictions on `split`."""
    return run.layer.counts(run.splits[split].sentences, labels)


def article_groups(runs: Sequence[RunData], names: Sequence[str]) -> list[str]:
    """The article of each sentence row, the same for every run (else the pairing would break)."""
    groups = [[s.article_id for s in r.splits[name].sentences] for r, name in zip(runs, names)]
    if any(g != groups[0] for g in groups[1:]):
        raise AraftError(f"cannot pair split {names[0]!r} by article: the runs' sentences belong "
                         "to different articles")
    return groups[0]


@dataclass
class SplitComparison:
    split: str
    scores: list[dict[str, Any]]            # scores_from_counts per run
    deltas: list[dict[str, Any] | None]     # paired_bootstrap(run k, first run); None for the first
    n_sentences: int
    digest: tuple[str | None, str | None]
    classes: list[str]                      # entity types or sentence labels of this layer
    what: str                               # "type" / "label"
    part: str = ""                          # "" for a task's only layer, else "_<layer>"
    names: list[str] = field(default_factory=list)  # the split's name in each run
    n_units: int | None = None              # resampled units (sentences or articles); None: n_sentences

    @property
    def title(self) -> str:
        """The split, with the layer named when the runs' task has several."""
        return f"{self.split} ({self.part[1:]})" if self.part else self.split


@dataclass
class Comparison:
    runs: list[RunData]
    labels: list[str]                       # A, B, C, ...
    task: str
    classes: list[str]                      # entity types or sentence labels (first layer)
    splits: list[SplitComparison]           # per split (and layer)
    config_diff: list[tuple[str, list[Any]]]
    bootstrap: dict[str, Any]
    notes: list[str] = field(default_factory=list)


# Keys that say where a run was written or how it was started, not what was trained; and
# task._target_ says no more than task.name.
NOT_TRAINED = ("resume", "prepare_only", "task._target_")


def trained_config(run: RunData) -> dict[str, Any] | None:
    """The run's config as dotted keys, without paths.*, NOT_TRAINED and what its task never reads."""
    if not run.info:
        return None
    task = task_named(run.task)
    return {k: v for k, v in run.info.config_values().items()
            if not k.startswith("paths.") and k not in NOT_TRAINED and task.reads(k)}


def config_diff(runs: Sequence[RunData]) -> list[tuple[str, list[Any]]]:
    """(dotted key, value per run) for exactly the config keys whose values differ."""
    flat = [trained_config(r) or r.evaluated_settings() or {} for r in runs]
    keys = sorted(set().union(*flat))
    missing = "(absent)"
    out = []
    for key in keys:
        values = [f.get(key, missing) if f else "(no run.json)" for f in flat]
        if len({json.dumps(v, sort_keys=True, default=str) for v in values}) > 1:
            out.append((key, values))
    return out


def load_runs(paths: Sequence[str | Path]) -> tuple[list[dict[str, RunData]], list[str], list[str]]:
    """The runs (sweeps expanded), each as {layer key: RunData}; the layers every run predicts (a
    joint run and an NER run share the entities); notes for the reader."""
    dirs = expand_runs(paths)
    if len(dirs) < 2:
        raise AraftError(f"compare needs at least two runs, got {len(dirs)}")
    layers = [{layer.layer.key: layer for layer in load_layers(d)} for d in dirs]
    shared = [key for key in layers[0] if all(key in r for r in layers[1:])]
    tasks = sorted({next(iter(r.values())).task for r in layers})
    if not shared:
        raise AraftError(f"cannot compare runs of tasks {', '.join(tasks)}: they predict no "
                         "annotation layer in common")
    notes = []
    if len(tasks) > 1:
        notes.append(f"runs of different tasks ({', '.join(tasks)}): compared on the layer(s) "
                     f"they share: {', '.join(shared)}")
    return layers, shared, notes


def skipped_splits(runs: Sequence[RunData], compared: Sequence[Sequence[str]]) -> str | None:
    """A note naming the splits some run evaluated that not every run did."""
    skipped = sorted({s for r in runs for s in r.splits} - {n for names in compared for n in names})
    return f"splits not evaluated by every run are left out: {', '.join(skipped)}" if skipped else None


def compare_runs(paths: Sequence[str | Path], *, n_resamples: int = 1000, seed: int = 0,
                 confidence: float = 0.95, unit: str = "sentence") -> Comparison:
    """Load, check and compare runs (or sweeps); the first run is the baseline. ``unit``: what the
    bootstrap resamples, "sentence" or "article" (whole articles)."""
    if unit not in UNITS:
        raise AraftError(f"unknown bootstrap unit {unit!r}; known: {', '.join(UNITS)}")
    layers, shared, notes = load_runs(paths)
    if len(layers) > len(LETTERS):
        raise AraftError(f"compare takes at most {len(LETTERS)} runs, got {len(layers)}")
    runs = [next(iter(r.values())) for r in layers]
    labels = list(LETTERS[:len(runs)])
    splits: list[SplitComparison] = []
    part = len(shared) > 1 or any(len(r) > 1 for r in layers)
    classes = [compare_layer([r[key] for r in layers], labels, splits, notes, part=part,
                             unit=unit, n_resamples=n_resamples, seed=seed, confidence=confidence)
               for key in shared]
    skipped = skipped_splits(runs, [sc.names for sc in splits])
    if skipped:
        notes.append(skipped)
    boot = {"n_resamples": n_resamples, "seed": seed, "confidence": confidence, "unit": unit,
            "method": f"paired percentile bootstrap over {unit}s"}
    return Comparison(runs, labels, runs[0].task, classes[0], splits, config_diff(runs), boot,
                      notes)


@dataclass
class CountedSplit:
    """One split of one layer, counted for every run: the rows the bootstrap resamples."""
    split: str
    names: list[str]                # the split's name in each run
    counts: list[EntityCounts]      # per run; summed per article with unit="article"
    n_sentences: int
    part: str                       # "" for a task's only layer, else "_<layer>"

    @property
    def title(self) -> str:
        return f"{self.split} ({self.part[1:]})" if self.part else self.split


def counted_splits(runs: Sequence[RunData], labels: Sequence[str], notes: list[str], *,
                   part: bool, unit: str = "sentence") -> tuple[list[str], list[CountedSplit]]:
    """The classes of one annotation layer and, per split every run evaluated on the same data,
    each run's per-sentence (or per-article) counts. Notes: renamed splits, too few articles for an
    article bootstrap, scores recomputed from predictions that differ from metrics.json."""
    common = check_same_data(runs, labels)
    layer = runs[0].layer
    classes = layer.compare_classes(list(zip(labels, [r.labels for r in runs])))
    out = []
    for names in common:
        counts = [sentence_counts(r, name, classes) for r, name in zip(runs, names)]
        cs = CountedSplit(names[0], list(names), counts, counts[0].n_sentences,
                          f"_{layer.key}" if part else "")
        if unit == "article":
            groups = article_groups(runs, names)
            cs.counts = [group_counts(c, groups) for c in counts]
            few = few_articles_note(cs.counts[0].n_sentences)
            if few:
                notes.append(f"{cs.title}: {few}")
            elif clustered_articles(groups) is None:  # the report's rule: no article column
                notes.append(f"{cs.title}: every article is one sentence (a file without article "
                             "boundaries, such as CoNLL), so resampling articles is resampling "
                             "sentences")
        renamed = [f"{lab} {name}" for lab, name in zip(labels, names) if name != cs.split]
        if renamed:
            notes.append(f"{cs.title}: the same file is named otherwise in " + ", ".join(renamed))
        for lab, run, name, c in zip(labels, runs, names, cs.counts):
            saved = run.splits[name].metrics.get("micro_f1")
            score = scores_from_counts(c)["micro_f1"]
            if saved is not None and abs(saved - score) > 1e-9:
                notes.append(f"{lab} {cs.title}: micro F1 recomputed from predictions "
                             f"({score:.4f}) differs from metrics.json ({saved:.4f})")
        out.append(cs)
    return classes, out


def compare_layer(runs: Sequence[RunData], labels: Sequence[str], out: list[SplitComparison],
                  notes: list[str], *, part: bool, unit: str = "sentence", **boot: Any) -> list[str]:
    """One annotation layer of the runs, split by split, appended to ``out``; returns its classes.
    ``part``: name the layer in each split's title (some run predicts several); ``unit``: as in
    compare_runs."""
    classes, counted = counted_splits(runs, labels, notes, part=part, unit=unit)
    for cs in counted:
        counts = cs.counts
        scores = [scores_from_counts(c) for c in counts]
        deltas = [None] + [paired_bootstrap(c, counts[0], **boot) for c in counts[1:]]
        out.append(SplitComparison(cs.split, scores, deltas, cs.n_sentences,
                                   split_digest(runs[0], cs.split), classes,
                                   runs[0].layer.words.what, cs.part, cs.names,
                                   counts[0].n_sentences))
    return classes


HEADLINE_ORDER = [m for m in ("micro_f1", "micro_precision", "micro_recall", "macro_f1",
                              "macro_precision", "macro_recall") if m in HEADLINE]
