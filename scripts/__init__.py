"""araft's build and corpus scripts: the embedded models (tiny_model/), the claims corpus
(claims_corpus/), the bundled data and the seed gold.

Run one from the repository root with ``python -m scripts.<name> [--help]`` (or
``python -m scripts.claims_corpus.<name>``), as ``benchmarks/`` is run; araft must be installed
(``make install``).
"""
