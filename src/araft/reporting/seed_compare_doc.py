"""compare --by-seed as a document: each system's mean over seeds, its spread, each seed's score,
and every system minus the first, with the two-level interval (markdown and HTML, as compare)."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from araft.reporting import plots
from araft.reporting.compare import HEADLINE_ORDER
from araft.reporting.compare_doc import (NAMES, config_table, delta_columns, fmt_delta, fmt_p,
                                         resampled)
from araft.reporting.doc import Document, Figure, Section, Table, Text, fmt
from araft.reporting.seed_compare import SeedComparison, SeedSplit, mean_sd


def _mean_sd(values: list[float]) -> str:
    mean, sd = mean_sd(values)
    return fmt(mean) if sd is None else f"{fmt(mean)} ± {fmt(sd)}"


def systems_table(cmp: SeedComparison) -> Table:
    rows = []
    for k, (lab, group) in enumerate(zip(cmp.labels, cmp.groups)):
        first = cmp.runs[group[0]]
        commits = sorted({(cmp.runs[i].info.git.commit or "")[:12] for i in group} - {""})
        rows.append([lab, first.metrics.get("experiment"), len(group),
                     ", ".join(str(s) for s in cmp.seeds(k)),
                     "; ".join(str(cmp.runs[i].root) for i in group), ", ".join(commits) or None])
    return Table(["system", "experiment", "runs", "seeds", "directories", "git commits"], rows,
                 f"A system is the runs whose configs differ only in their seed. The first ({cmp.labels[0]}) "
                 f"is the baseline: deltas are the system's mean minus {cmp.labels[0]}'s.")


def seeds_table(cmp: SeedComparison, sp: SeedSplit) -> Table:
    """Micro F1 per system: mean ± sd over seeds, range, each seed's score."""
    rows = []
    for k, lab in enumerate(cmp.labels):
        values = cmp.values(sp, k, "micro_f1")
        per_seed = ", ".join(f"{s}: {fmt(v)}" for s, v in zip(cmp.seeds(k), values))
        rows.append([lab, len(values), _mean_sd(values), f"{fmt(min(values))}–{fmt(max(values))}",
                     per_seed, fmt_delta(sp.deltas[k]["micro_f1"]) if k else "–"])
    return Table(["system", "seeds", "micro F1 mean ± sd", "range", "per seed",
                  f"minus {cmp.labels[0]} [95% CI]"], rows,
                 f"{sp.title} ({sp.n_sentences} sentences): sd is the sample standard deviation "
                 "over seeds.")


def metrics_table(cmp: SeedComparison, sp: SeedSplit) -> Table:
    rows = []
    for m in HEADLINE_ORDER:
        row: list[Any] = [NAMES[m]] + [_mean_sd(cmp.values(sp, k, m)) for k in range(len(cmp.labels))]
        for d in sp.deltas[1:]:
            row += [fmt_delta(d[m]), fmt_p(d[m]["p_value"])]
        rows.append(row)
    conf = int(100 * cmp.bootstrap["confidence"])
    return Table(["metric"] + [f"{lab} (mean ± sd)" for lab in cmp.labels] + delta_columns(cmp),
                 rows, f"{sp.title}: {conf}% {cmp.bootstrap['method']} ({resampled(cmp, sp)}, "
                 f"each system's seeds), {cmp.bootstrap['n_resamples']} resamples, two-sided p for "
                 "'no difference'.")


def per_class_table(cmp: SeedComparison, sp: SeedSplit) -> Table:
    rows = []
    for name in sp.classes:
        row: list[Any] = [name] + [_mean_sd(cmp.values(sp, k, "", name))
                                   for k in range(len(cmp.labels))]
        row.append(sp.scores[0]["per_type"][name]["support"])
        for d in sp.deltas[1:]:
            e = d["per_type"].get(name)
            row += [fmt_delta(e), fmt_p(e["p_value"] if e else None)]
        rows.append(row)
    return Table([sp.what] + [f"F1 {lab} (mean ± sd)" for lab in cmp.labels] + ["support"]
                 + delta_columns(cmp), rows, f"{sp.title}: F1 per {sp.what}")


def seed_comparison_document(cmp: SeedComparison, plot_dir: Path | None = None) -> Document:
    """plot_dir: where to draw the delta figures (None: no figures, e.g. markdown on stdout)."""
    data = [f"{sp.title}: {sp.digest[1] or 'unknown file'} "
            f"(sha256 {sp.digest[0][:12] if sp.digest[0] else 'unknown'})" for sp in cmp.splits]
    sections = [Section("Systems", [systems_table(cmp),
                                    Text("Same data for every run: " + "; ".join(data) + ".")])]
    for sp in cmp.splits:
        blocks: list = [seeds_table(cmp, sp), metrics_table(cmp, sp), per_class_table(cmp, sp)]
        if plot_dir is not None:
            name = re.sub(r"\W+", "_", sp.title).strip("_")
            fig = plots.deltas({lab: {NAMES[m]: d[m] for m in HEADLINE_ORDER}
                                for lab, d in zip(cmp.labels[1:], sp.deltas[1:])},
                               plot_dir / f"compare_{name}.png",
                               f"{sp.title}: difference of means to {cmp.labels[0]} (95% CI)")
            blocks.append(Figure(f"{plot_dir.name}/{fig.name}",
                                 f"{sp.title}: each system's mean minus {cmp.labels[0]}'s, with "
                                 f"intervals over {resampled(cmp, sp)} and seeds."))
        sections.append(Section(f"Split {sp.title}", blocks))
    sections.append(Section("Config differences between systems", [config_table(cmp)]))
    if cmp.notes:
        sections.append(Section("Notes", [Text(n) for n in cmp.notes]))
    return Document("araft compare --by-seed: " + " vs ".join(cmp.labels), sections,
                    f"{cmp.task} · {len(cmp.labels)} systems · {len(cmp.runs)} runs")
