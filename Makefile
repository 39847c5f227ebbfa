# The two commands of the README: `make demo` and `make test`. Each sets up .venv first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-sqlite test-postgres test-browser bench lint docs messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/reemploi demo --out demo-out

# Runs the whole suite on SQLite, then on PostgreSQL when a server answers
# (REEMPLOI_TEST_POSTGRES_URL, default postgresql://postgres@127.0.0.1:5432/postgres);
# set REEMPLOI_REQUIRE_POSTGRES=1 to fail instead of skipping when it does not.
test: $(STAMP)
	$(BIN)/ruff check src tests bench tools
	$(BIN)/python -m pytest -q
	$(BIN)/python tests/run_postgres.py

test-sqlite: $(STAMP)
	$(BIN)/python -m pytest -q

# The browser tests alone (Playwright on Debian's Chromium, /usr/bin/chromium); screenshots in bench/out/screenshots/.
test-browser: $(STAMP)
	REEMPLOI_REQUIRE_BROWSER=1 $(BIN)/python -m pytest -q tests/test_browser.py

test-postgres: $(STAMP)
	REEMPLOI_REQUIRE_POSTGRES=1 $(BIN)/python tests/run_postgres.py

bench: $(STAMP)
	$(BIN)/python bench/bench_import.py
	$(BIN)/python bench/bench_move.py
	$(BIN)/python bench/bench_tests.py
	$(BIN)/python bench/bench_allocation.py
	$(BIN)/python bench/bench_design.py
	$(BIN)/python bench/bench_impact.py
	$(BIN)/python bench/bench_api.py
	$(BIN)/python bench/bench_dashboard.py
	$(BIN)/python bench/bench_time.py

# Translation catalogs: extract the messages from the code, merge them into every language's
# .po (then translate what `python tools/messages.py check` lists), compile the .mo files.
messages: $(STAMP)
	$(BIN)/python tools/messages.py extract
	$(BIN)/python tools/messages.py update
	$(BIN)/python tools/messages.py compile
	$(BIN)/python tools/messages.py check

docs: $(STAMP)
	$(BIN)/python -m reemploi.cli.docgen > docs/cli.md

clean:
	rm -rf $(VENV) demo-out bench/out .pytest_cache
