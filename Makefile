# uppfoljning — run `make help` for the targets.
# All set-up is done by the targets themselves: on a fresh machine `make book` and
# `make test` install everything they need (Python packages from the lockfile into
# .venv; Debian's Chromium and axe-core for the browser tests).

SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
STAMP := $(VENV)/.installed
DATA ?= data/demo
YEAR ?=
JOBS ?=
RUFF := $(BIN)/ruff check src tests benchmarks
FORMAT := $(BIN)/ruff format --check src tests benchmarks
MYPY := $(BIN)/mypy
YEAR_ARG := $(if $(YEAR),--year $(YEAR),)
JOBS_ARG := $(if $(JOBS),--jobs $(JOBS),)

.DEFAULT_GOAL := help

.PHONY: help
help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | \
	  awk 'BEGIN {FS = ":.*## "} {printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON) on PATH"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv
	$(UV) pip install --quiet --compile-bytecode --python $(BIN)/python -r requirements.lock
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
	$(BIN)/python -c "from uppfoljning.site import install_vega_bundle as i; i()"
	touch $(STAMP)

.PHONY: install
install: $(STAMP) ## install the locked Python environment into .venv

.PHONY: book
book: $(STAMP) ## build the default edition from the demo delivery into _build/site/
	$(BIN)/uppfoljning build --data $(DATA) $(YEAR_ARG) $(JOBS_ARG)

.PHONY: editions
editions: $(STAMP) ## build every edition 2018-2024 from the demo delivery (one run)
	$(BIN)/uppfoljning build --data $(DATA) --year 2018-2024 $(JOBS_ARG)

.PHONY: pdf
pdf: $(STAMP) browser-deps ## build the default edition and its PDF
	$(BIN)/uppfoljning build --data $(DATA) $(YEAR_ARG) $(JOBS_ARG) --pdf

.PHONY: serve
serve: $(STAMP) ## build and serve a local preview on http://localhost:8000
	$(BIN)/uppfoljning serve --data $(DATA) $(YEAR_ARG) $(JOBS_ARG)

.PHONY: validate
validate: $(STAMP) ## validate a delivery (DATA=folder)
	$(BIN)/uppfoljning validate --data $(DATA)

.PHONY: browser-deps
browser-deps: ## install Debian's Chromium, poppler-utils and axe-core (browser tests, PDF)
	@{ test -x /usr/bin/chromium && command -v pdftotext >/dev/null; } || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium poppler-utils >/dev/null; }
	@test -f node_modules/axe-core/axe.min.js || npm ci --no-audit --no-fund --silent

.PHONY: test
test: $(STAMP) browser-deps ## lint, then run every test (unit, validation, build, browser)
	$(RUFF)
	$(FORMAT)
	$(MYPY)
	$(BIN)/python -m pytest -q -p no:cacheprovider -n 2 --dist loadgroup --durations=15

.PHONY: test-fast
test-fast: $(STAMP) ## run the tests that need no site build or browser
	$(BIN)/python -m pytest -q -m "not slow and not browser"

.PHONY: bench
bench: $(STAMP) ## time the build against the naive way (see benchmarks/)
	$(BIN)/python benchmarks/bench.py

.PHONY: lint
lint: $(STAMP) ## ruff check, ruff format --check and mypy (also the first steps of `make test`)
	$(RUFF)
	$(FORMAT)
	$(MYPY)

.PHONY: demo-data
demo-data: $(STAMP) ## regenerate the committed synthetic demo delivery
	$(BIN)/uppfoljning demo-data --out data/demo

.PHONY: clean
clean: ## remove builds and caches (keeps .venv)
	rm -rf _build .cache .pytest_cache
