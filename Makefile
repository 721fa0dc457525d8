# One command each: `make run` (the bot on seeded SQLite), `make console` (offline, no token),
# `make test` (set up from scratch and run the suite), `make check` (ruff + mypy).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

LOCALES := i18n/locales

.PHONY: setup setup-e2e run console test test-slow check bench messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Installed once, and again only when pyproject.toml changes (the stamp is newer than it).
# trafilatura asks for lxml[html_clean], an extra lxml 6 no longer has (its html_clean is the
# separate lxml_html_clean package, which pyproject.toml names): pip's notice about it is
# dropped, every other line is shown.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[dev]" 2>&1 | grep -v "does not provide the extra 'html_clean'" || true
	$(BIN)/python -c "import bot, lxml_html_clean"  # fail here, not later, if it did not install
	touch $@

setup: $(VENV)/.installed
	$(BIN)/pybabel -q compile -d $(LOCALES) -D newsbot

# After changing a user-facing string: extract every _()/N_()/ngettext() (babel.cfg's folders) and
# merge it into each language's .po (then translate what is new; the tests name what is missing).
messages: setup
	$(BIN)/pybabel -q extract -F babel.cfg -k N_ --no-location --sort-output \
		--project newsbot --version 0.1.0 --copyright-holder "the newsbot team" \
		--msgid-bugs-address "the newsbot team" -o $(LOCALES)/newsbot.pot .
	$(BIN)/pybabel -q update -i $(LOCALES)/newsbot.pot -d $(LOCALES) -D newsbot \
		--width 100 --ignore-obsolete
	$(BIN)/pybabel -q compile -d $(LOCALES) -D newsbot

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

# The slow tests the default run leaves out: the Docker image, kill -9 crashes, several bots.
test-slow: setup setup-e2e
	$(BIN)/python -m pytest -m slow

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
