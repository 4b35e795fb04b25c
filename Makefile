# Two entry points for a fresh machine: `make repro` (set up, then run the pipeline) and `make test`.
VENV ?= .venv
PYTHON := $(VENV)/bin/python

.PHONY: setup repro test plots

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
