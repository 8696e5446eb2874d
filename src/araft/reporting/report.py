"""The reviewer's view of one run: report.md, report.html and plots/*.png in the run directory."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from araft.reporting import plots
from araft.reporting.collect import RunData, load_run
from araft.reporting.confusion import (CATEGORIES, SPURIOUS, claims_confusion, label_set_confusion,
                                       ner_confusion)
from araft.reporting.curves import eval_rows, learning_curves
from araft.reporting.doc import Document, Examples, Figure, Section, Table, Text, fmt, fmt_ci
from araft.reporting.errors import claims_errors, ner_errors
from araft.reporting.summary import (data_files, data_sizes, distribution_table, label_counts,
                                     run_summary)

PLOTS = "plots"


@dataclass
class ReportPaths:
    markdown: Path
    html: Path
    plots: list[Path] = field(default_factory=list)


def _per_key(run: RunData) -> str:
    return "per_type" if run.task == "ner" else "per_label"


def headline_section(run: RunData) -> Section:
    last = "accuracy" if run.task == "ner" else "exact_match"
    rows = []
    for name, split in run.splits.items():
        m, ci = split.metrics, split.metrics.get("ci") or {}
        rows.append([name, m.get("n_sentences", len(split.sentences)),
                     fmt_ci(m.get("micro_precision"), ci.get("micro_precision")),
                     fmt_ci(m.get("micro_recall"), ci.get("micro_recall")),
                     fmt_ci(m.get("micro_f1"), ci.get("micro_f1")),
                     fmt_ci(m.get("macro_f1"), ci.get("macro_f1")), fmt(m.get(last))])
    boot = next((s.metrics["bootstrap"] for s in run.splits.values() if s.metrics.get("bootstrap")),
                {})
    unit = "entity-level, strict IOB2 on words" if run.task == "ner" else "per sentence and label"
    note = (f"Scores {unit}; brackets: {int(100 * boot.get('confidence', 0.95))}% "
            f"{boot.get('method', 'bootstrap')} ({boot.get('n_resamples', '?')} resamples).")
    return Section("Headline metrics", [Table(
        ["split", "sentences", "micro precision", "micro recall", "micro F1", "macro F1",
         last.replace("_", " ")], rows, note)])


def per_class_section(run: RunData, plot_dir: Path, written: list[Path]) -> Section:
    what = "type" if run.task == "ner" else "label"
    sec = Section(f"Per {what}")
    per_split = {}
    for name, split in run.splits.items():
        per = split.metrics.get(_per_key(run)) or {}
        per_split[name] = per
        extra = ["ROC AUC", "average precision", "threshold"] if run.task == "claims" else []
        thresholds = split.metrics.get("thresholds") or {}
        rows = []
        order = {name: k for k, name in enumerate(run.labels)}
        for label in sorted(per, key=lambda t: (order.get(t, len(order)), t)):
            r = per[label]
            row = [label, fmt(r.get("precision")), fmt(r.get("recall")),
                   fmt_ci(r.get("f1"), r.get("f1_ci")), r.get("support")]
            if extra:
                row += [fmt(r.get("roc_auc")), fmt(r.get("average_precision")),
                        fmt(thresholds.get(label))]
            rows.append(row)
        sec.blocks.append(Table([what, "precision", "recall", "F1 [95% CI]", "support"] + extra,
                                rows, f"{name}"))
    fig = plots.per_class_f1(per_split, plot_dir / f"f1_per_{what}.png", what)
    if fig:
        written.append(fig)
        sec.blocks.append(Figure(f"{PLOTS}/{fig.name}", f"F1 per {what} and split, with 95% intervals."))
    return sec


def ner_confusion_blocks(run: RunData, plot_dir: Path, written: list[Path]) -> list:
    blocks: list = [Text(
        "Entities are compared on words. The exact-span table pairs gold and predicted entities on "
        "exactly the same words (rows gold, columns predicted; (none): no entity on those words). "
        "The error table sorts each gold entity into one category: correct; wrong type (same words, "
        "other type); wrong span (right type, overlapping but different boundaries); wrong span and "
        "type; missed (nothing predicted there). Spurious counts predictions that touch no gold entity.")]
    for name, split in run.splits.items():
        conf = ner_confusion(split.sentences, run.labels)
        axis, matrix = conf.exact_rows()
        blocks.append(Table(["gold \\ predicted"] + axis, [[a] + row for a, row in zip(axis, matrix)],
                            f"{name}: exact-span matches"))
        fig = plots.heatmap(axis, axis, matrix, plot_dir / f"confusion_{name}.png",
                            f"Exact-span matches ({name})", "predicted", "gold")
        written.append(fig)
        blocks.append(Figure(f"{PLOTS}/{fig.name}", f"{name}: exact-span match counts."))
        rows = [[t] + [conf.categories[(t, c)] for c in CATEGORIES] for t in conf.types]
        rows.append(["all"] + [conf.total(c) for c in CATEGORIES])
        blocks.append(Table(["type"] + list(CATEGORIES), rows,
                            f"{name}: error categories (gold entities by gold type; {SPURIOUS} by "
                            "predicted type)"))
    return blocks


def claims_confusion_blocks(run: RunData, plot_dir: Path, written: list[Path]) -> list:
    blocks: list = []
    for name, split in run.splits.items():
        per = claims_confusion(split.sentences, run.labels)
        rows = [[label, c.tp, c.fp, c.fn, c.tn] for label, c in per.items()]
        blocks.append(Table(["label", "TP (gold yes, predicted yes)", "FP (gold no, predicted yes)",
                             "FN (gold yes, predicted no)", "TN (gold no, predicted no)"], rows,
                            f"{name}: per-label 2x2 confusion over sentences"))
        fig = plots.two_by_two({label: [[c.tp, c.fn], [c.fp, c.tn]] for label, c in per.items()},
                               plot_dir / f"confusion_{name}.png")
        if fig:
            written.append(fig)
            blocks.append(Figure(f"{PLOTS}/{fig.name}",
                                 f"{name}: per-label 2x2 (rows gold, columns predicted)."))
        axis, matrix = label_set_confusion(split.sentences, run.labels)
        blocks.append(Table(["gold \\ predicted"] + axis, [[a] + r for a, r in zip(axis, matrix)],
                            f"{name}: label sets (sentences)"))
    return blocks


def curves_section(run: RunData, plot_dir: Path, written: list[Path]) -> Section:
    sec = Section("Learning curves")
    curves = learning_curves(run.metrics.get("log_history"))
    if curves.empty:
        sec.blocks.append(Text("No training log in metrics.json (an evaluation-only directory)."))
        return sec
    fig = plots.learning_curves(curves, plot_dir / "learning_curves.png")
    if fig:
        written.append(fig)
        sec.blocks.append(Figure(f"{PLOTS}/{fig.name}", "Training loss per logging step; dev metrics "
                                                        "per evaluation."))
    cols, rows = eval_rows(curves)
    if rows:
        sec.blocks.append(Table(cols, [[fmt(v, 4) for v in r] for r in rows],
                                "Evaluations during training."))
    else:
        sec.blocks.append(Text("No evaluation during training (trainer.eval_strategy=no)."))
    return sec


def errors_section(run: RunData, top: int) -> Section:
    sec = Section("Error analysis")
    sec.blocks.append(Text("Gold spans are underlined in green, predicted spans shaded orange; the "
                           "error an example is about is outlined. Scores are the model's mean "
                           "word probability (NER) or label probability (claims)."))
    for name, split in run.splits.items():
        if run.task == "ner":
            fps, fns = ner_errors(split.sentences, top)
        else:
            fps, fns = claims_errors(split.sentences, run.labels, top)
        sec.blocks.append(Examples(fps, f"{name}: worst false positives (most confident first)"))
        sec.blocks.append(Examples(fns, f"{name}: worst false negatives"))
    return sec


def data_section(run: RunData, plot_dir: Path, written: list[Path]) -> Section:
    sec = Section("Data")
    sec.blocks.append(data_sizes(run))
    counts = label_counts(run)
    what = "type" if run.task == "ner" else "label"
    sec.blocks.append(distribution_table(counts, what))
    title = "Gold entities per type" if run.task == "ner" else "Gold sentences per label"
    fig = plots.distribution({s: {n: g for n, (g, _) in c.items()} for s, c in counts.items()},
                             plot_dir / "label_distribution.png", title)
    if fig:
        written.append(fig)
        sec.blocks.append(Figure(f"{PLOTS}/{fig.name}", f"Gold distribution per {what} and split."))
    files = data_files(run)
    if files:
        sec.blocks.append(files)
    return sec


def build_report(run: RunData, plot_dir: Path, top: int = 10) -> tuple[Document, list[Path]]:
    written: list[Path] = []
    confusion = ner_confusion_blocks if run.task == "ner" else claims_confusion_blocks
    conf = confusion(run, plot_dir, written)
    sections = [
        Section("Run", [run_summary(run)]),
        headline_section(run),
        per_class_section(run, plot_dir, written),
        Section("Confusion", conf),
        curves_section(run, plot_dir, written),
        errors_section(run, top),
        data_section(run, plot_dir, written),
    ]
    title = f"araft report: {run.metrics.get('experiment') or run.name}"
    subtitle = f"{run.task.upper() if run.task == 'ner' else 'claims'} · {run.root}"
    return Document(title, sections, subtitle), written


def write_report(run_dir: str | Path, *, top: int = 10) -> ReportPaths:
    """Write report.md, report.html (self-contained) and plots/*.png into the run directory."""
    from araft.reporting.html import render_html
    from araft.reporting.markdown import render_markdown

    run = load_run(run_dir)
    plot_dir = run.root / PLOTS
    if plot_dir.is_dir():  # figures of splits that no longer exist must not linger
        for old in plot_dir.glob("*.png"):
            old.unlink()
    doc, written = build_report(run, plot_dir, top)
    md, html = run.root / "report.md", run.root / "report.html"
    _write(md, render_markdown(doc))
    _write(html, render_html(doc, run.root))
    return ReportPaths(md, html, written)


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


