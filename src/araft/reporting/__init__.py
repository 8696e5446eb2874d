"""Reports a reviewer can trust: one run (report.md, report.html, plots/) and runs side by side.

    write_report(run_dir) -> ReportPaths                     araft report RUN
    compare_runs([run_a, run_b, ...]) -> Comparison          araft compare RUN_A RUN_B ...
    write_comparison(comparison, out_dir) -> (md, html)      araft compare ... --out DIR
"""
from araft.reporting.collect import RunData, load_run
from araft.reporting.compare import Comparison, compare_runs
from araft.reporting.compare_doc import write_comparison
from araft.reporting.report import ReportPaths, write_report

__all__ = ["Comparison", "ReportPaths", "RunData", "compare_runs", "load_run", "write_comparison",
           "write_report"]
