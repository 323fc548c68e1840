# The few commands people type. Each creates .venv and installs what it needs first.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: install dev serve test test-quick test-postgres test-all lint bench dataset clean

$(VENV)/.installed: pyproject.toml
	$(PY) -c 'import sys; sys.exit("Rouei needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.dev: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed
dev: $(VENV)/.dev

serve: install                ## serve the dashboard on SQLite (rouei.db), with the seed incidents
	$(BIN)/rouei serve

test: dev                     ## the whole suite on SQLite
	$(BIN)/python -m pytest

test-quick: dev               ## the suite on SQLite without the tests marked slow
	$(BIN)/python -m pytest -m "not slow"

test-postgres: dev            ## the same suite against PostgreSQL (PG_TEST_URL)
	ROUEI_TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/python -m pytest

test-all: test test-postgres

lint: dev
	$(BIN)/ruff check app tests bench

bench: dev
	$(BIN)/python bench/parse_bench.py

.PHONY: bench-search
bench-search: dev             ## HTTP search benchmark, Rouei against Datasette (SIZES, ENGINES)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/search_bench.py --sizes $(or $(SIZES),1000 10000 100000) \
		--engines $(or $(ENGINES),sqlite postgresql)

dataset: install              ## rebuild app/data/seed_incidents.jsonl from ../shared/seeds and ../shared/corpus/real
	$(BIN)/rouei dataset build ../shared/seeds --labels ../shared/corpus/real

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache
