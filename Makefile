# One command each: `make run` (the bot on seeded SQLite), `make console` (offline, no token),
# `make test` (set up from scratch and run the suite), `make check` (ruff + mypy).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup run console test check bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

setup: $(BIN)/python
	$(BIN)/pip install -q -e ".[dev]"
	@if command -v npm >/dev/null 2>&1; then npm ci --silent --no-audit --no-fund; \
	else echo "npm not found: end-to-end tests will be skipped"; fi

run: setup
	$(BIN)/python -m bot run

console: setup
	$(BIN)/python -m bot console

test: setup
	$(BIN)/python -m pytest

check: setup
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy

bench: setup
	$(BIN)/python -m bench.search
	$(BIN)/python -m bench.ingest_summary
