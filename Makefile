# One command each: `make run` (the bot on seeded SQLite), `make console` (offline, no token),
# `make test` (set up from scratch and run the suite), `make check` (ruff + mypy).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup setup-e2e run console test check bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

setup: $(BIN)/python
	$(BIN)/pip install -q -e ".[dev]"

# The Bot API emulator for the end-to-end tests (Node 20 + npm).
setup-e2e:
	@if command -v npm >/dev/null 2>&1; then npm ci --silent --no-audit --no-fund; \
	else echo "npm not found: end-to-end tests will be skipped"; fi

run: setup
	$(BIN)/python -m bot run

console: setup
	$(BIN)/python -m bot console

test: setup setup-e2e
	$(BIN)/python -m pytest

check: setup
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy

bench: setup setup-e2e
	$(BIN)/pip install -q -e ".[dev,bench]"
	$(BIN)/python -m bench.search_real
	$(BIN)/python -m bench.summaries
	$(BIN)/python -m bench.search
	$(BIN)/python -m bench.ingest_summary
	$(BIN)/python -m bench.fanout
	$(BIN)/python -m bench.roundtrip
