# Two commands for a newcomer: `make run` and `make test`. Everything else is set up on the way.
SHELL := /bin/bash
PORT ?= 8000
PYTHON ?= $(shell command -v python3.12 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
export DJANGO_SETTINGS_MODULE := shiraka.settings

.PHONY: run test test-sqlite test-postgres test-browser lint messages assets setup check clean bench

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 12), "Python 3.12+ is needed (pyenv install 3.12)"'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo "Serving on http://127.0.0.1:$(PORT)/"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# The whole suite on SQLite; the browser tests run too where Chromium is installed.
test: setup
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest

test-postgres: setup
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres} $(VENV)/bin/pytest -m "not browser"

test-browser: setup
	$(VENV)/bin/pytest -m browser -p no:xdist

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Build (or reuse) the scale-1.0 data set under var/bench/, serve it with gunicorn and measure.
# BENCH_DATABASE_URL=postgres://… does the same on PostgreSQL; BENCH_SCALE=0.1 for a quick look.
bench: setup
	$(PY) -m bench.run

# Re-extract and compile the interface strings (needs GNU gettext).
messages: setup
	$(PY) manage.py makemessages -l ar --no-obsolete --ignore '.venv/*' --ignore 'assets/*' --ignore 'var/*'
	$(PY) manage.py compilemessages -l ar --ignore '.venv/*'

# Re-vendor the front-end packages pinned in assets/package.json (needs Node and npm).
assets:
	./assets/vendor.sh

clean:
	rm -rf var/shiraka.sqlite3* var/static var/screenshots
