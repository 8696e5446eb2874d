"""Reports a reviewer can trust: one run (report.md, report.html, plots/) and runs side by side.

    write_report(run_dir) -> ReportPaths       araft report RUN
    compare_runs([run_a, run_b, ...]) -> Comparison, write_comparison(...)   araft compare
"""
from araft.reporting.collect import RunData, load_run
from araft.reporting.report import ReportPaths, write_report

__all__ = ["ReportPaths", "RunData", "load_run", "write_report"]
