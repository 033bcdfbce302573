# Two commands on a fresh machine: `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
.DEFAULT_GOAL := run

VENV := .venv
PY := $(VENV)/bin/python
# .python-version selects 3.12 through pyenv; fall back to a python3.12 on PATH.
PYTHON312 := $(shell (pyenv which python 2>/dev/null | grep -q 3.12 && pyenv which python) || command -v python3.12)
HOST ?= 127.0.0.1
PORT ?= 8000

$(PY):
	@test -n "$(PYTHON312)" || { echo "Python 3.12 not found (pyenv or python3.12 on PATH)"; exit 1; }
	$(PYTHON312) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(PY) requirements.lock
	$(PY) -m pip install --quiet -r requirements.lock
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.lock
	$(PY) -m pip install --quiet -r requirements-test.lock
	@touch $@

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# System packages: Noto fonts for PDFs (DejaVu is the fallback), espeak-ng for offline Vietnamese
# speech (board call-outs, switchboard prompts), Debian's chromium for browser tests.
.PHONY: system-fonts system-espeak system-chromium
system-fonts:
	@dpkg -s fonts-noto-core >/dev/null 2>&1 || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q fonts-noto-core; } || echo "warning: fonts-noto-core not installed; PDFs fall back to DejaVu"
system-espeak:
	@dpkg -s espeak-ng >/dev/null 2>&1 || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q espeak-ng; }
system-chromium:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }

.PHONY: install install-test
install: $(VENV)/.installed node_modules/.installed system-fonts system-espeak
install-test: install $(VENV)/.installed-test system-chromium

# `make run` serves the demo as the product runs: DEBUG off, a secret key generated once into
# var/secret_key, the web server, outbox worker and scheduler under one supervisor (`manage.py
# serve`, Ctrl+C stops all), SMS and Zalo sent to local fake gateways on PORT+1 and PORT+2.
# `make dev` is the same with DEBUG on and Django's reloading runserver.
define PREPARE_DEMO
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo_province
endef

.PHONY: run dev
run dev: export MOTCUA_DEMO := 1
run dev: export MOTCUA_HOST := $(HOST)
run dev: export MOTCUA_PORT := $(PORT)
run: export MOTCUA_DEBUG := 0
dev: export MOTCUA_DEBUG := 1

run: install
	$(PREPARE_DEMO)
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py serve

dev: install
	$(PREPARE_DEMO)
	$(PY) manage.py serve --web runserver

.PHONY: test
test: install-test
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run --verbosity 0
	$(PY) -m pytest $(PYTEST_ARGS)

.PHONY: lint
lint: install-test
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# Re-pin after editing requirements*.in (needs uv in the venv: `$(PY) -m pip install uv`).
.PHONY: lock
lock:
	$(VENV)/bin/uv pip compile --python-version 3.12 -q requirements.in -o requirements.lock
	$(VENV)/bin/uv pip compile --python-version 3.12 -q requirements-test.in -c requirements.lock -o requirements-test.lock

.PHONY: bench
bench: install-test
	$(PY) bench/catalog.py
