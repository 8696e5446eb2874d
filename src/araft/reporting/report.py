"""The reviewer's view of one run: report.md, report.html and plots/*.png in the run directory.

The sections are the same for every task; what a layer shows (its classes, confusion, error
examples) is the layer's (araft.tasks.base.Layer). A run whose task predicts several layers gets
each layer's sections, titled with the layer."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from araft.reporting import plots
from araft.reporting.collect import RunData, load_layers
from araft.reporting.curves import eval_rows, learning_curves
from araft.reporting.doc import (Document, Examples, Figure, Section, Table, Text, fmt, fmt_ci,
                                 fmt_ci_only)
from araft.reporting.run_summary import (data_files, data_sizes, distribution_table, label_counts,
                                         run_summary)
from araft.tasks.registry import task_named

PLOTS = "plots"


@dataclass
class ReportPaths:
    markdown: Path
    html: Path
    plots: list[Path] = field(default_factory=list)


ARTICLE_CI = "95% CI (articles)"


def headline_section(run: RunData) -> Section:
    words = run.layer.words
    last = words.exact_metric
    # the article columns only where some split's data has articles (not on a CoNLL file)
    by_article = any(s.metrics.get("ci_article") for s in run.splits.values())
    rows = []
    for name, split in run.splits.items():
        m, ci = split.metrics, split.metrics.get("ci") or {}
        art = m.get("ci_article") or {}
        f1s = [[fmt_ci(m.get(k), ci.get(k))] + ([fmt_ci_only(art.get(k))] if by_article else [])
               for k in ("micro_f1", "macro_f1")]
        rows.append([name, m.get("n_sentences", len(split.sentences)),
                     fmt_ci(m.get("micro_precision"), ci.get("micro_precision")),
                     fmt_ci(m.get("micro_recall"), ci.get("micro_recall")),
                     *f1s[0], *f1s[1], fmt(m.get(last))])
    boot = next((s.metrics["bootstrap"] for s in run.splits.values() if s.metrics.get("bootstrap")),
                {})
    note = (f"Scores {words.scoring}; brackets: {int(100 * boot.get('confidence', 0.95))}% "
            f"{boot.get('method', 'bootstrap')} ({boot.get('n_resamples', '?')} resamples).")
    if by_article:
        note += " " + article_note(run)
    art_col = [ARTICLE_CI] if by_article else []
    return Section(run.titled("Headline metrics"), [Table(
        ["split", "sentences", "micro precision", "micro recall", "micro F1", *art_col,
         "macro F1", *art_col, last.replace("_", " ")], rows, note)])


def article_note(run: RunData) -> str:
    """What the article columns are, per split how many articles were resampled, and the warning
    where they are too few."""
    boots = {n: s.metrics["bootstrap"] for n, s in run.splits.items()
             if s.metrics.get("ci_article") and "n_articles" in (s.metrics.get("bootstrap") or {})}
    method = next((b.get("article_method") for b in boots.values()), "whole articles resampled")
    counts = ", ".join(f"{n}: {b['n_articles']} article{'s' if b['n_articles'] != 1 else ''}"
                       for n, b in boots.items())
    note = (f"{ARTICLE_CI}: {method} ({counts}); labels cluster by article, so sentences are not "
            "independent and the sentence interval is too narrow.")
    warnings = [f"Note on {n}: {b['article_note']}." for n, b in boots.items()
                if b.get("article_note")]
    return " ".join([note, *warnings])


def per_class_section(run: RunData, plot_dir: Path, written: list[Path]) -> Section:
    what = run.layer.words.what
    sec = Section(run.titled(f"Per {what}"))
    per_split = {}
    extra = run.layer.per_class_extra()
    for name, split in run.splits.items():
        per = split.metrics.get(run.layer.words.per_key) or {}
        per_split[name] = per
        thresholds = split.metrics.get("thresholds") or {}
        rows = []
        order = {name: k for k, name in enumerate(run.labels)}
        by_article = "ci_article" in split.metrics
        for label in sorted(per, key=lambda t: (order.get(t, len(order)), t)):
            r = per[label]
            row = [label, fmt(r.get("precision")), fmt(r.get("recall")),
                   fmt_ci(r.get("f1"), r.get("f1_ci"))]
            row += [fmt_ci_only(r.get("f1_ci_article"))] if by_article else []
            row.append(r.get("support"))
            rows.append(row + run.layer.per_class_cells(r, thresholds.get(label)))
        n_articles = (split.metrics.get("bootstrap") or {}).get("n_articles")
        caption = f"{name}; {ARTICLE_CI}: {n_articles} article(s) resampled" if by_article else name
        sec.blocks.append(Table([what, "precision", "recall", "F1 [95% CI]",
                                 *([ARTICLE_CI] if by_article else []), "support"] + extra,
                                rows, caption))
    fig = plots.per_class_f1(per_split, plot_dir / f"f1_per_{what}{run.part}.png", what)
    if fig:
        written.append(fig)
        sec.blocks.append(Figure(f"{PLOTS}/{fig.name}", f"F1 per {what} and split, with 95% "
                                                        "intervals (sentences resampled)."))
    return sec


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
    sec = Section(run.titled("Error analysis"))
    sec.blocks.append(Text("Gold spans are underlined in green, predicted spans shaded orange; the "
                           "error an example is about is outlined. Scores are the model's mean "
                           "word probability (NER) or label probability (claims)."))
    for name, split in run.splits.items():
        fps, fns = run.layer.errors(split.sentences, run.labels, top)
        sec.blocks.append(Examples(fps, f"{name}: worst false positives (most confident first)"))
        sec.blocks.append(Examples(fns, f"{name}: worst false negatives"))
    return sec


def data_section(run: RunData, plot_dir: Path, written: list[Path]) -> Section:
    sec = Section(run.titled("Data"))
    sec.blocks.append(data_sizes(run))
    counts = label_counts(run)
    what = run.layer.words.what
    sec.blocks.append(distribution_table(counts, what))
    fig = plots.distribution({s: {n: g for n, (g, _) in c.items()} for s, c in counts.items()},
                             plot_dir / f"label_distribution{run.part}.png",
                             run.layer.words.distribution_title)
    if fig:
        written.append(fig)
        sec.blocks.append(Figure(f"{PLOTS}/{fig.name}", f"Gold distribution per {what} and split."))
    files = data_files(run)
    if files:
        sec.blocks.append(files)
    return sec


def build_report(layers: RunData | list[RunData], plot_dir: Path,
                 top: int = 10) -> tuple[Document, list[Path]]:
    """The report of a run: its layers (load_layers), or the one layer of a single-layer task."""
    layers = [layers] if isinstance(layers, RunData) else layers
    run = layers[0]
    written: list[Path] = []
    confusion = [layer.layer.confusion_blocks(layer, plot_dir, written) for layer in layers]
    sections = [Section("Run", [run_summary(run)])]
    for layer, blocks in zip(layers, confusion):
        sections += [headline_section(layer), per_class_section(layer, plot_dir, written),
                     Section(layer.titled("Confusion"), blocks)]
    sections.append(curves_section(run, plot_dir, written))
    sections += [errors_section(layer, top) for layer in layers]
    sections += [data_section(layer, plot_dir, written) for layer in layers]
    title = f"araft report: {run.metrics.get('experiment') or run.name}"
    subtitle = f"{task_named(run.task).title} · {run.root}"
    return Document(title, sections, subtitle), written


def write_report(run_dir: str | Path, *, top: int = 10) -> ReportPaths:
    """Write report.md, report.html (self-contained) and plots/*.png into the run directory."""
    from araft.reporting.html import render_html
    from araft.reporting.markdown import render_markdown

    layers = load_layers(run_dir)
    run = layers[0]
    plot_dir = run.root / PLOTS
    if plot_dir.is_dir():  # figures of splits that no longer exist must not linger
        for old in plot_dir.glob("*.png"):
            old.unlink()
    doc, written = build_report(layers, plot_dir, top)
    md, html = run.root / "report.md", run.root / "report.html"
    _write(md, render_markdown(doc))
    _write(html, render_html(doc, run.root))
    return ReportPaths(md, html, written)


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


