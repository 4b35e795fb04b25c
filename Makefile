# Two entry points for a fresh machine: `make repro` (set up, then run the pipeline) and `make test`.
VENV ?= .venv
PYTHON := $(VENV)/bin/python

.PHONY: setup repro test plots peers-setup peers bench results

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt constraints.txt
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -r requirements.txt -c constraints.txt
	touch $@

repro: setup
	PATH="$(abspath $(VENV))/bin:$$PATH" dvc repro

# Python tests, then the Android app's ktlint and JVM decoder tests (need `npm ci`, and
# kotlinc + JUnit 4: apt-get install -y kotlin junit4). The last line is "N passed, N failed".
test: setup
	$(PYTHON) -m pytest -q
	bash android_app/lint.sh
	bash android_app/jvm-tests.sh

# Offline plots page: pinned Vega libraries from npm, then dvc_plots/index.html.
plots: setup
	npm ci --no-audit --no-fund
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

peers: setup peers-setup
	POSE_MEDIAPIPE_PYTHON=$(MEDIAPIPE_VENV)/bin/python stages/python benchmarks/peers.py --out reports/peers.json

bench: setup
	stages/python benchmarks/bench.py --out reports/bench.json

results: setup
	stages/python benchmarks/results_table.py --readme README.md
