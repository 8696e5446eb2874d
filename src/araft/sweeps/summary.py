"""The summary of a sweep directory: one row per job with its overrides and scores.

Read from disk (each job's .hydra/overrides.yaml and metrics.json), not from the launcher's
return values, so it works for any launcher or sweeper and can be rewritten after a job was
resumed: `python -m araft.sweeps SWEEP_DIR`.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from araft.rundir import RunDir, write_json
from araft.sweeps.objective import dev_objective

HEADLINE = "micro_f1"


@dataclass(frozen=True)
class SummaryPaths:
    markdown: Path
    json: Path


def _job_key(path: Path) -> tuple[int, str]:
    return (int(path.name), "") if path.name.isdigit() else (1 << 30, path.name)


def _read_overrides(job: Path) -> list[str]:
    import yaml

    return [str(o) for o in yaml.safe_load(
        (job / ".hydra" / "overrides.yaml").read_text(encoding="utf-8")) or []]


def _split_scores(metrics: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out = {}
    for name, m in (metrics.get("splits") or {}).items():
        if isinstance(m, dict) and HEADLINE in m:
            out[name] = {HEADLINE: m[HEADLINE], "ci": (m.get("ci") or {}).get(HEADLINE),
                         "macro_f1": m.get("macro_f1")}
    return out


def collect_jobs(sweep_dir: Path) -> list[dict[str, Any]]:
    """One row per job directory (a direct child with .hydra/overrides.yaml), in job order.

    `swept` holds the overrides that differ between jobs; a job without metrics.json (failed,
    killed or still running) is listed with status "incomplete"."""
    sweep_dir = Path(sweep_dir)
    jobs = sorted((p for p in sweep_dir.iterdir() if (p / ".hydra" / "overrides.yaml").is_file()),
                  key=_job_key) if sweep_dir.is_dir() else []
    rows = []
    for job in jobs:
        run = RunDir(job)
        metrics = run.metrics() if run.metrics_file.is_file() else None
        rows.append({"job": job.name, "run_dir": str(job.resolve()),
                     "overrides": _read_overrides(job),
                     "status": "done" if metrics is not None else "incomplete",
                     "objective": dev_objective(metrics),
                     "splits": _split_scores(metrics) if metrics else {}})
    common = set.intersection(*(set(r["overrides"]) for r in rows)) if rows else set()
    for row in rows:
        row["swept"] = [o for o in row["overrides"] if o not in common] or row["overrides"]
    return rows


def _fmt(score: dict[str, Any] | None) -> str:
    if not score:
        return "–"
    ci = score.get("ci")
    ci_txt = f" [{ci[0]:.3f}, {ci[1]:.3f}]" if ci else ""
    return f"{score[HEADLINE]:.3f}{ci_txt}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def best_job(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    scored = [r for r in rows if r["objective"] is not None]
    return max(scored, key=lambda r: r["objective"]) if scored else None


def render_markdown(rows: list[dict[str, Any]], sweep_dir: Path) -> str:
    """A Markdown table: job, swept overrides, micro F1 [95% CI] per split, run directory."""
    others = []
    for row in rows:
        others += [s for s in row["splits"] if s != "dev" and s not in others]
    head = ["job", "overrides", "dev micro F1 [95% CI]",
            *(f"{s} micro F1 [95% CI]" for s in others), "status", "run dir"]
    lines = [f"# Sweep {Path(sweep_dir).name}", ""]
    common = [o for o in (rows[0]["overrides"] if rows else []) if o not in rows[0]["swept"]]
    if common:
        lines += ["Shared overrides: " + " ".join(f"`{o}`" for o in common), ""]
    best = best_job(rows)
    if best is not None:
        lines += [f"Best dev micro F1: job {best['job']} ({best['objective']:.3f}): "
                  + " ".join(f"`{o}`" for o in best["swept"]), ""]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        run_dir = Path(row["run_dir"])
        rel = run_dir.name if run_dir.parent == Path(sweep_dir).resolve() else str(run_dir)
        cells = [row["job"], " ".join(f"`{o}`" for o in row["swept"]),
                 _fmt(row["splits"].get("dev")), *(_fmt(row["splits"].get(s)) for s in others),
                 row["status"], f"{rel}/"]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


def write_summary(sweep_dir: Path) -> SummaryPaths:
    """Write summary.md and summary.json into the sweep directory (atomically)."""
    sweep_dir = Path(sweep_dir)
    rows = collect_jobs(sweep_dir)
    best = best_job(rows)
    paths = SummaryPaths(sweep_dir / "summary.md", sweep_dir / "summary.json")
    write_json(paths.json, {"sweep_dir": str(sweep_dir.resolve()), "objective": f"dev {HEADLINE}",
                            "best_job": best["job"] if best else None, "jobs": rows})
    tmp = paths.markdown.with_name(f".{paths.markdown.name}.tmp")
    tmp.write_text(render_markdown(rows, sweep_dir), encoding="utf-8")
    tmp.replace(paths.markdown)
    return paths
