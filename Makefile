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

# System packages: Noto fonts for PDFs (DejaVu is the fallback), Debian's chromium for browser tests.
.PHONY: system-fonts system-chromium
system-fonts:
	@dpkg -s fonts-noto-core >/dev/null 2>&1 || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q fonts-noto-core; } || echo "warning: fonts-noto-core not installed; PDFs fall back to DejaVu"
system-chromium:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }

.PHONY: install install-test
install: $(VENV)/.installed node_modules/.installed system-fonts
install-test: install $(VENV)/.installed-test system-chromium

.PHONY: run
run: install
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo_province
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "Serving motcua on http://$(HOST):$(PORT)/ (Ctrl+C to stop)"
	$(VENV)/bin/granian --interface wsgi --host $(HOST) --port $(PORT) --workers 2 motcua.wsgi:application

.PHONY: test
test: install-test
	$(PY) -m ruff check .
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
