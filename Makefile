# gongkai — the two commands that matter: `make run` and `make test`.
# Both start from nothing but Python 3.11 (and root, for `make test`'s system packages).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
FUZZ_EXAMPLES ?= 200

.PHONY: run test fuzz lint format setup setup-dev demo clean help load

help:
	@echo "make run    - set up, migrate, load the demo city and serve http://127.0.0.1:$(PORT)"
	@echo "make test   - set up and run the whole suite on SQLite and on PostgreSQL"
	@echo "make fuzz   - fuzz the API longer (FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) per operation), both databases"
	@echo "make lint   - ruff check and format check"
	@echo "make load   - load-test the portal under gunicorn with wrk (figures in bench/RESULTS.md)"

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

setup: $(VENV)/.runtime

setup-dev: $(VENV)/.dev

demo: setup
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	$(PY) manage.py search_rebuild --quiet

run: demo
	@echo "Serving the portal at http://127.0.0.1:$(PORT)/ (demo users: see README)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: setup-dev
	bash scripts/run-tests

load: setup
	$(PY) bench/load.py

fuzz: setup-dev
	GONGKAI_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) bash scripts/run-tests tests/fuzz

lint: setup-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf var/ $(VENV)
