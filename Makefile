# SIKAP: the two commands a new machine needs are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: run test test-fast install migrate demo lint format messages vendor clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo

## make run: install, migrate, load the demo data and serve on http://127.0.0.1:8000
run: demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

## make test: the whole suite (browser journeys included), in parallel
test: install
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

## make test-fast: everything but the browser journeys
test-fast: install
	$(BIN)/python -m pytest -n auto -m "not browser" $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## make messages: refresh and compile the translation catalogues (needs gettext)
messages: install
	$(BIN)/python manage.py makemessages -l en -l id --ignore=.venv --ignore=staticfiles --ignore=static/vendor --ignore=test-artifacts --no-obsolete
	$(BIN)/python manage.py compilemessages --ignore=.venv

vendor:
	./scripts/vendor_static.sh

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles .pytest_cache
