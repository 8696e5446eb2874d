"""The comparison as a document: compare.md and compare.html (or markdown on stdout)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

from araft.reporting import plots
from araft.reporting.compare import HEADLINE_ORDER, Comparison, SplitComparison
from araft.reporting.doc import Document, Figure, Section, Table, Text, fmt

NAMES = {"micro_f1": "micro F1", "micro_precision": "micro precision", "micro_recall": "micro recall",
         "macro_f1": "macro F1", "macro_precision": "macro precision", "macro_recall": "macro recall"}


def fmt_p(p: float | None) -> str:
    if p is None or p != p:
        return "–"
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def fmt_delta(entry: dict[str, Any] | None) -> str:
    if not entry:
        return "–"
    return f"{entry['delta']:+.3f} [{fmt(entry['low'])}, {fmt(entry['high'])}]"


def _value(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, (dict, list)):
        return json.dumps(v, ensure_ascii=False)
    return fmt(v)


def runs_table(cmp: Comparison) -> Table:
    rows = []
    for lab, run in zip(cmp.labels, cmp.runs):
        commit = run.info.git.commit if run.info else None
        rows.append([lab, str(run.root), run.metrics.get("experiment"), (commit or "")[:12] or None])
    return Table(["run", "directory", "experiment", "git commit"], rows,
                 f"The first run ({cmp.labels[0]}) is the baseline: deltas are run − {cmp.labels[0]}.")


def resampled(cmp: Comparison, sc: SplitComparison) -> str:
    """What the bootstrap resampled on a split, counted: "52 articles" or "918 sentences"."""
    unit = cmp.bootstrap.get("unit", "sentence")
    n = sc.n_units if sc.n_units is not None else sc.n_sentences
    return f"{n} {unit}{'' if n == 1 else 's'}"


def delta_columns(cmp: Comparison) -> list[str]:
    """The difference and p-value columns of every run after the first (or system: a SeedComparison
    has the same labels)."""
    base = cmp.labels[0]
    return [c for lab in cmp.labels[1:] for c in (f"{lab} − {base} [95% CI]", f"p ({lab})")]


def metrics_table(cmp: Comparison, k: int) -> Table:
    sc = cmp.splits[k]
    rows = []
    for m in HEADLINE_ORDER:
        row: list[Any] = [NAMES[m]] + [fmt(s[m]) for s in sc.scores]
        for d in sc.deltas[1:]:
            row += [fmt_delta(d[m]), fmt_p(d[m]["p_value"])]
        rows.append(row)
    conf = int(100 * cmp.bootstrap["confidence"])
    return Table(["metric"] + cmp.labels + delta_columns(cmp), rows,
                 f"{sc.title} ({sc.n_sentences} sentences): {conf}% {cmp.bootstrap['method']} "
                 f"({resampled(cmp, sc)}), {cmp.bootstrap['n_resamples']} resamples, two-sided p "
                 "for 'no difference'.")


def per_class_table(cmp: Comparison, k: int) -> Table:
    sc = cmp.splits[k]
    what = sc.what
    rows = []
    for name in sc.classes:
        row: list[Any] = [name] + [fmt(s["per_type"][name]["f1"]) for s in sc.scores]
        row.append(sc.scores[0]["per_type"][name]["support"])
        for d in sc.deltas[1:]:
            e = d["per_type"].get(name)
            row += [fmt_delta(e), fmt_p(e["p_value"] if e else None)]
        rows.append(row)
    return Table([what] + [f"F1 {lab}" for lab in cmp.labels] + ["support"] + delta_columns(cmp),
                 rows, f"{sc.title}: F1 per {what}")


def config_table(cmp: Comparison) -> Table | Text:
    if not cmp.config_diff:
        return Text("No config key differs (run.json 'config').")
    rows = [[key] + [_value(v) for v in values] for key, values in cmp.config_diff]
    return Table(["config key"] + cmp.labels, rows, "Only the keys whose values differ.")


def comparison_document(cmp: Comparison, plot_dir: Path | None = None) -> Document:
    """plot_dir: where to draw the delta figures (None: no figures, e.g. markdown on stdout)."""
    data = []
    for sc in cmp.splits:
        sha, path = sc.digest
        data.append(f"{sc.title}: {path or 'unknown file'} (sha256 {sha[:12] if sha else 'unknown'})")
    same = Text("Same data for every run: " + "; ".join(data) + ".")
    sections = [Section("Runs", [runs_table(cmp), same])]
    for k, sc in enumerate(cmp.splits):
        blocks: list = [metrics_table(cmp, k), per_class_table(cmp, k)]
        if plot_dir is not None:
            fig = plots.deltas({lab: {NAMES[m]: d[m] for m in HEADLINE_ORDER}
                                for lab, d in zip(cmp.labels[1:], sc.deltas[1:])},
                               plot_dir / f"compare_{sc.split}{sc.part}.png",
                               f"{sc.title}: difference to {cmp.labels[0]} (95% CI)")
            caption = (f"{sc.title}: each run minus {cmp.labels[0]}, with paired bootstrap "
                       f"intervals over {resampled(cmp, sc)}.")
            blocks.append(Figure(f"{plot_dir.name}/{fig.name}", caption))
        sections.append(Section(f"Split {sc.title}", blocks))
    sections.append(Section("Config differences", [config_table(cmp)]))
    if cmp.notes:
        sections.append(Section("Notes", [Text(n) for n in cmp.notes]))
    title = "araft compare: " + " vs ".join(cmp.labels)
    return Document(title, sections, f"{cmp.task} · {len(cmp.runs)} runs")


def write_comparison(cmp: Any, out_dir: str | Path,
                     build: Callable[[Any, Path | None], Document] | None = None) -> tuple[Path, Path]:
    """compare.md, compare.html (self-contained) and plots/ in out_dir. ``build``: the document
    builder (default comparison_document; seed_compare_doc.seed_comparison_document for
    compare --by-seed)."""
    from araft.reporting.html import render_html
    from araft.reporting.markdown import render_markdown

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    doc = (build or comparison_document)(cmp, out / "plots")
    md, html = out / "compare.md", out / "compare.html"
    md.write_text(render_markdown(doc), encoding="utf-8")
    html.write_text(render_html(doc, out), encoding="utf-8")
    return md, html
