# Two set-up commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export HF_HUB_OFFLINE := 1
export HF_DATASETS_OFFLINE := 1
export TRANSFORMERS_NO_ADVISORY_WARNINGS := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: install run test bench gpu-check news-model clean

install: $(VENV)/.installed

# torch is installed first and by exact version: an unpinned torch pulls a multi-GB CUDA build.
$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

# The main job: the embedded tiny model on bundled ANERcorp (configs/experiment/anercorp_tiny.yaml).
# Your own presets go in a folder of your own: araft train --config-dir DIR experiment=NAME.
run: install
	$(VENV)/bin/araft train experiment=anercorp_tiny

# --durations: the slowest tests in every CI log, to keep the suite well under 15 minutes.
test: install
	$(PY) -m pytest -q --durations=15

bench: install
	$(PY) -m benchmarks.run_all

# On a machine with one CUDA GPU: the base shape fine-tuned in bf16 and fp32 with trainer=gpu's
# settings (tokens/s, peak GPU memory, MFU). Stopped after 8 minutes; without CUDA it exits 2.
gpu-check: install
	timeout 8m $(PY) -m benchmarks.gpu_check

# models/arabert-tiny (CC BY-SA 4.0): MLM on redistributable text only; the news model starts from it.
tiny-model: install
	$(PY) -m scripts.build_tiny_model

# The default embedded model from ../shared/data: models/arabert-tiny continued with MLM on SaudiNewsNet in
# two rounds (models/arabert-mini-news; the first round's comparison of objectives ran on one thread),
# then taught the tags a CRF puts on news (models/arabert-mini-news-silver), then claim/obstacle scores
# (models/arabert-mini-news-claims). See the models' READMEs for the time each stage takes.
news-model: install
	$(PY) -m scripts.build_news_model prepare --tokenizer models/arabert-tiny
	$(PY) -m scripts.build_news_model pretrain --init-from models/arabert-tiny --objective mlm \
		--out build/arabert-mini-news-round1 --budget-min $(or $(BUDGET_MIN),55) --threads 1
	$(PY) -m scripts.build_news_model pretrain --init-from build/arabert-mini-news-round1 --objective mlm \
		--out models/arabert-mini-news --budget-min $(or $(ROUND2_MIN),105)
	$(PY) -m scripts.build_news_model silver --init-from models/arabert-mini-news \
		--out models/arabert-mini-news-silver
	$(PY) -m scripts.build_news_model claims-silver --init-from models/arabert-mini-news-silver \
		--out models/arabert-mini-news-claims

clean:
	rm -rf $(VENV) outputs .pytest_cache
