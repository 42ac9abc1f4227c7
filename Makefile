# Two commands for a newcomer: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEV := DJANGO_DEBUG=1
# Where `make run` serves the site (`make run PORT=8001`); the editor's sign-in it prints names the same address.
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-postgres lint format bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: $(BIN)/python requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

## run: install, migrate, load the site's content and serve http://$(HOST):$(PORT) (default 127.0.0.1:8000; development,
## SQLite), with the mail worker beside the server (`manage.py run_site`: one command, Ctrl-C stops both)
run: $(VENV)/.runtime
	$(DEV) $(BIN)/python manage.py migrate --no-input
	$(DEV) $(BIN)/python manage.py load_site_content
	$(DEV) $(BIN)/python manage.py create_local_editor --host $(HOST) --port $(PORT)
	$(DEV) $(BIN)/python manage.py run_site $(HOST):$(PORT)

## test: run the whole test suite: the rest on both cores, then the browser tests one at a time
## (browser tests skip, saying why, where Chromium is missing); the 15 slowest tests are listed
test: $(VENV)/.dev
	$(BIN)/pytest -n 2 --durations=15 --ignore=tests/e2e
	$(BIN)/pytest --durations=15 tests/e2e

## test-postgres: the suite again on a throwaway PostgreSQL server and Redis (Debian: postgresql, redis-server),
## its databases copied from one migrated template; it leaves out what cannot differ by engine: browser
## journeys, SQLite-only tests, tests that bring a database of their own and checks of the shipped words
## (markers in pyproject.toml)
test-postgres: $(VENV)/.dev
	$(BIN)/python -m tests.harness.services run -- \
		$(BIN)/pytest -n 2 --durations=15 --ignore=tests/e2e -m "not browser and not sqlite_only and not own_database and not engine_independent"

## lint: ruff and a check that no model change lacks its migration
lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(DEV) $(BIN)/python manage.py makemigrations --check --dry-run

## bench: serve the site with gunicorn (production settings) and compare its pages with a minimal view (needs wrk)
bench: $(VENV)/.dev
	$(BIN)/python -m bench.run

format: $(VENV)/.dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
