# Quick start: `make run` (console on the embedded SQLite database) and `make test`.
# `make run` installs only what the bot needs to run; `make test` adds the development tools.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
# Moments the suite is also run at (`make test-any-day`): Christmas Eve, the last day of a
# programme year late in the evening (UK summer time), and a leap day.
WALL_CLOCKS := 2026-12-24T08:30:00+00:00 2027-03-31T23:30:00+01:00 2028-02-29T12:00:00+00:00

.PHONY: run test test-any-day lint bench serve e2e clean

$(BIN)/python:
	@echo "Setting up $(VENV) (first run only: about a minute)..."
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade --progress-bar on pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	@echo "Installing Broker bot and what it needs to run..."
	$(BIN)/pip install --progress-bar on -e .
	touch $(RUN_STAMP)

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	@echo "Installing Broker bot with its development tools (pytest, ruff, mypy, import-linter)..."
	$(BIN)/pip install --progress-bar on -e '.[dev]'
	touch $(RUN_STAMP) $(DEV_STAMP)

run: $(RUN_STAMP)
	$(BIN)/python -m bot console

serve: $(RUN_STAMP)
	$(BIN)/python -m bot serve

lint: $(DEV_STAMP)
	$(BIN)/ruff check bot storage tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest

# The suite again with every Python process's wall clock moved (tests/wallclock). The fault suite
# (tests/faults: kills, held locks, outages, forged and oversized requests) is left out: it does not
# read the calendar, and it is the slow part.
test-any-day: $(DEV_STAMP)
	@for moment in $(WALL_CLOCKS); do \
		echo "== the suite with the wall clock at $$moment"; \
		BROKER_BOT_WALL_CLOCK=$$moment PYTHONPATH="$(CURDIR)/tests/wallclock$${PYTHONPATH:+:$$PYTHONPATH}" \
			$(BIN)/pytest -p no:cacheprovider --ignore=tests/faults || exit 1; \
	done

bench: $(DEV_STAMP)
	$(BIN)/python benchmarks/run_all.py

# End to end through Microsoft 365 Agents Playground in headless Chromium (installs what it needs).
e2e: $(DEV_STAMP)
	tests/e2e/install.sh
	$(BIN)/pytest -p no:cacheprovider -m e2e tests/e2e

clean:
	rm -rf $(VENV)
