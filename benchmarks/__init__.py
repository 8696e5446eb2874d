"""araft benchmarks: each module measures araft against the usual recipe, side by side.

Run one with ``python -m benchmarks.<name> [--quick]``, all with ``python -m benchmarks.run_all``.
See docs/benchmarks.md for the method, the machine and the figures.
"""
