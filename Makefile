# Quick start: `make run` (console on the embedded SQLite database) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench serve e2e clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m bot console

serve: $(STAMP)
	$(BIN)/python -m bot serve

test: $(STAMP)
	$(BIN)/ruff check bot storage tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

# End to end through Microsoft 365 Agents Playground in headless Chromium (installs what it needs).
e2e: $(STAMP)
	tests/e2e/install.sh
	$(BIN)/pytest -p no:cacheprovider tests/e2e

clean:
	rm -rf $(VENV)
