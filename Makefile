# CTIP developer commands. `make run` and `make test` are the two the README opens with.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_SIZE ?= small
PYTEST_WORKERS ?= 2
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test install install-test chromium pdf-libs messages lint typecheck check-migrations bench bench-load bench-mixed lock worker multiprocess-check clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed-base: requirements/base.txt | $(VENV)/bin/python
	$(PIP) install --quiet -r requirements/base.txt
	touch $@

$(VENV)/.installed-test: requirements/base.txt requirements/test.txt | $(VENV)/bin/python
	$(PIP) install --quiet -r requirements/test.txt
	touch $@ $(VENV)/.installed-base

install: pdf-libs $(VENV)/.installed-base
install-test: pdf-libs $(VENV)/.installed-test

## pdf-libs: WeasyPrint (printable case summaries) draws text with Pango, a system library pip cannot install.
pdf-libs:
	@if ! ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0'; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Pango from Debian's packages for PDF summaries"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null; \
	  else \
	    echo "Pango is missing: install libpango-1.0-0 and libpangoft2-1.0-0 for printable case summaries (CTIP runs without them; printing says it is unavailable)." >&2; \
	  fi; \
	fi

messages: $(VENV)/.installed-base
	DJANGO_SETTINGS_MODULE=config.settings.dev $(MANAGE) compile_translations

## make run: install, migrate the embedded SQLite database under var/, load demo data when empty, serve.
run: install messages
	DJANGO_SETTINGS_MODULE=config.settings.dev $(MANAGE) migrate --noinput
	DJANGO_SETTINGS_MODULE=config.settings.dev $(MANAGE) demo --size $(DEMO_SIZE) --if-empty
	DJANGO_SETTINGS_MODULE=config.settings.dev $(MANAGE) demo_logins
	@echo "CTIP is starting at http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	DJANGO_SETTINGS_MODULE=config.settings.dev $(MANAGE) runserver --noreload $(HOST):$(PORT)

## make worker: run the background-task worker (django-tasks database backend) for the dev database.
worker: install
	DJANGO_SETTINGS_MODULE=config.settings.dev $(MANAGE) db_worker

chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Chromium from Debian's packages for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Chromium is missing at $(CHROMIUM) and this is not root: install the 'chromium' package." >&2; exit 1; \
	  fi; \
	fi

lint: install-test typecheck
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

## make typecheck: mypy with django-stubs and djangorestframework-stubs on the services and selectors (config in
## pyproject.toml). Part of `make lint`, so of `make test`.
typecheck: install-test
	DJANGO_SETTINGS_MODULE=config.settings.test $(VENV)/bin/mypy $$(ls -d ctip/*/services.py ctip/*/*_services.py ctip/*/services ctip/*/selectors*.py ctip/*/*_selectors.py ctip/*/selectors 2>/dev/null)

check-migrations: install-test
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run

## make test: install the test dependencies (and Chromium), lint, then the whole suite, browser tests included.
test: install-test chromium lint check-migrations
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) compile_translations
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -n $(PYTEST_WORKERS) -q $(PYTEST_ARGS)

bench: install-test
	@for script in bench/*.py; do case "$$script" in bench/load.py|bench/mixed.py|bench/locustfile.py) continue;; esac; echo "== $$script"; $(PY) $$script || exit 1; done

## make bench-load: serve CTIP with gunicorn and drive its pages with wrk beside a bare Django view (bench/load.py).
bench-load: install-test
	@command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
	$(PY) bench/load.py $(BENCH_ARGS)

## make bench-mixed: the mixed locust load (case workers, coordinator, provider, public) with audit checks (bench/mixed.py).
bench-mixed: install-test
	$(PIP) install --quiet -r requirements/bench.txt
	$(PY) bench/mixed.py $(BENCH_ARGS)

## make multiprocess-check: two gunicorn app processes and an RQ worker on PostgreSQL and the local Redis; checks a
## session, a rate limit and a background import across them (tools/multiprocess_check.py, its own database).
multiprocess-check: install
	@redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || redis-server --daemonize yes
	$(PY) tools/multiprocess_check.py $(CHECK_ARGS)

## make lock: re-resolve the pinned requirements from pyproject.toml (needs the package index).
lock:
	rm -rf /tmp/ctip-lock && $(PYTHON) -m venv /tmp/ctip-lock && /tmp/ctip-lock/bin/pip install -q --upgrade pip
	/tmp/ctip-lock/bin/pip install -q . && /tmp/ctip-lock/bin/pip freeze | grep -v -E '^(ctip|-e)' > /tmp/ctip-base.txt
	/tmp/ctip-lock/bin/pip install -q '.[test]' && /tmp/ctip-lock/bin/pip freeze | grep -v -E '^(ctip|-e)' > /tmp/ctip-all.txt
	{ echo "# Runtime lock: exact versions of every package CTIP needs to run. Regenerate with 'make lock'."; cat /tmp/ctip-base.txt; } > requirements/base.txt
	{ echo "# Test lock: runtime lock plus the test tools. Regenerate with 'make lock'."; echo "-r base.txt"; grep -v -x -F -f /tmp/ctip-base.txt /tmp/ctip-all.txt; } > requirements/test.txt

clean:
	rm -rf $(VENV) staticfiles test-artifacts
