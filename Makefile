# Tolerance — 容错案件管理系统. `make help` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV ?= .venv
PYTHON ?= python3.11
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Debian packages the app needs at run time (WeasyPrint, libmagic, gettext) and in tests (poppler-utils).
SYSTEM_PACKAGES := libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 libmagic1 gettext poppler-utils
E2E_PACKAGES := chromium
PO_FILES := $(shell find tolerance workflows -name django.po -path '*zh_Hans*')
MO_FILES := $(PO_FILES:.po=.mo)
export DJANGO_SETTINGS_MODULE ?= tolerance.settings

.PHONY: help run test e2e lint bench deploy-check setup system-packages migrate pki clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

run: export DJANGO_DEBUG ?= true
run: setup migrate pki ## Set up everything, load demo data and serve http://$(HOST):$(PORT)/
	@$(PY) manage.py seed_demo
	@$(PY) manage.py runserver $(HOST):$(PORT)

test: setup ## Set up everything and run the whole test suite
	@$(PY) -m pytest

e2e: setup ## Browser tests (Playwright driving Debian's chromium)
	@$(MAKE) --no-print-directory system-packages SYSTEM_PACKAGES="$(E2E_PACKAGES)"
	@DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest tests/e2e -p no:randomly -o norecursedirs= -m e2e

lint: setup ## Ruff lint and format check
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check . || true

bench: setup ## Run the benchmarks (results go to docs/benchmarks.md by hand)
	@for script in bench/*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

deploy-check: setup ## Django's deployment checklist against the current environment
	@$(PY) manage.py check --deploy

setup: $(VENV)/.installed system-packages $(MO_FILES)

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

system-packages:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing system packages: $$missing"; \
	    (apt-get install -y -qq --no-install-recommends $$missing >/dev/null 2>&1 || \
	     (apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends $$missing >/dev/null)) || \
	     { echo "Could not install: $$missing"; exit 1; }; \
	  else \
	    echo "Missing system packages. Run: sudo apt-get install $$missing"; exit 1; \
	  fi; \
	fi

%.mo: %.po $(VENV)/.installed
	@msgfmt --check-format -o $@ $<

migrate: setup
	@mkdir -p var
	@$(PY) manage.py migrate --no-input -v 0
	@$(PY) manage.py collectstatic --no-input -v 0

pki: setup
	@$(PY) manage.py init_pki --if-missing

clean: ## Remove the virtualenv and local data (var/)
	rm -rf $(VENV) var
