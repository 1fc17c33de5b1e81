# Two commands do everything on a fresh machine with Python 3.11+: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test
DEMO_DATA := data/demo
DEMO_OUT  := runs/kupang-2026

.PHONY: demo test lint bench schemas clean browser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(TSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[test]"
	touch $@ $(STAMP)

## demo: install, generate the Kota Kupang demo data, run the demo placement, say where results are
demo: $(STAMP)
	$(BIN)/merit demo --out $(DEMO_OUT)

## test: install with test extras, lint, type-check and run the whole suite
test: $(TSTAMP) browser
	$(BIN)/ruff check merit tests $(wildcard benchmarks)
	$(BIN)/ruff format --check merit tests $(wildcard benchmarks)
	$(BIN)/mypy
	$(BIN)/pytest

## browser: Debian's chromium for the report test, installed only when missing
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  echo "installing Debian chromium for the report test"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

## bench: measure city, province and national sizes (writes benchmarks/results.md)
bench: $(TSTAMP)
	$(BIN)/python benchmarks/bench.py

## schemas: regenerate data/schemas/ from the models
schemas: $(STAMP)
	$(BIN)/merit schemas --out data/schemas

clean:
	rm -rf $(VENV) runs .pytest_cache .mypy_cache .ruff_cache
