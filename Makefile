# The two commands: `make run` (the app on http://127.0.0.1:8000) and `make test` (everything).
# Each creates the project virtualenv and installs requirements.txt when it changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
REQ_HASH := $(shell $(PYTHON) -c "import hashlib;print(hashlib.sha1(open('requirements.txt','rb').read()).hexdigest()[:12])")
STAMP := $(VENV)/.installed-$(REQ_HASH)

.PHONY: setup run test lint format messages bench clean

$(STAMP): requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@rm -f $(VENV)/.installed-*
	@touch $@

setup: $(STAMP)

# `make run HOST=0.0.0.0` serves a class on the local network (README, "First class in five
# minutes"): LISTEN_HOST tells the app, which then allows the machine's LAN addresses and puts
# one in the join link and QR; karuta.lan prints where phones join.
run: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_deck
	@$(BIN)/python -m karuta.lan $(HOST) $(PORT)
	LISTEN_HOST=$(HOST) $(BIN)/daphne -b $(HOST) -p $(PORT) karuta.asgi:application

test: setup lint
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Needs GNU gettext; the compiled catalogues are committed so `run` and `test` do not.
# Each app keeps its own catalogue (games/locale, surveys/locale); locale/ holds the project's
# (templates/, karuta/). Run from each folder so a catalogue holds only its own strings.
MSG := DJANGO_SETTINGS_MODULE=karuta.settings PYTHONPATH=$(CURDIR) $(CURDIR)/$(BIN)/django-admin
messages: setup
	cd games && $(MSG) makemessages -l ja -l en
	cd surveys && $(MSG) makemessages -l ja -l en
	cd practice && $(MSG) makemessages -l ja -l en
	$(MSG) makemessages -l ja -l en --ignore=.venv --ignore=games --ignore=surveys --ignore=practice --ignore=tests --ignore=bench --ignore=staticfiles
	$(MSG) compilemessages --ignore=.venv

# Starts its own servers on 127.0.0.1 and prints the figures (see bench/run.py);
# BENCH=surveys make bench runs only the surveys part (bench/surveys.py).
bench: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python -m bench.$(if $(BENCH),$(BENCH),run) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
