# Tolerance — 容错案件管理系统. `make help` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV ?= .venv
PYTHON ?= python3.11
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Debian packages the app needs at run time (WeasyPrint, libmagic, gettext) and in tests (poppler-utils, fontconfig for fc-list).
SYSTEM_PACKAGES := libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 libmagic1 gettext poppler-utils fontconfig
# A CJK font: without one chromium draws the Chinese pages (and the guide's pictures) as empty boxes.
E2E_PACKAGES := chromium fonts-wqy-microhei
PO_FILES := $(shell find tolerance workflows composition -path '*zh_Hans/LC_MESSAGES/django.po')
MO_FILES := $(PO_FILES:.po=.mo)
VAR_DIR := $(or $(TOLERANCE_VAR_DIR),var)

.PHONY: help run test e2e guide-images lint bench bench-transitions bench-load decision-images deploy-check messages viewflow-messages setup system-packages migrate pki clean

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

# Decisions print the public address (verification link, QR code): under `make run` it is the one served.
# Listening on every interface (0.0.0.0) is reached on this machine as 127.0.0.1.
PUBLIC_HOST := $(if $(filter 0.0.0.0 ::,$(HOST)),127.0.0.1,$(HOST))

run: export DJANGO_DEBUG ?= true
run: export TOLERANCE_PUBLIC_BASE_URL ?= http://$(PUBLIC_HOST):$(PORT)
run: setup migrate pki ## Set up everything, load demo data, serve http://127.0.0.1:8000/ (HOST=, PORT=) with the scheduler beside it
	@$(PY) manage.py seed_demo
	@$(PY) manage.py run_scheduler & scheduler=$$!; trap 'kill $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: setup ## Set up everything and run the whole test suite
	@DJANGO_SETTINGS_MODULE=tolerance.settings_test $(PY) -m pytest

# The journeys share one seeded database per module and run in file order (no random order).
E2E_PYTEST := DJANGO_SETTINGS_MODULE=tolerance.settings_test DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest tests/e2e \
	-p no:randomly -o norecursedirs= -m e2e
e2e: setup ## Browser journeys of every role (Playwright driving Debian's chromium, installed if missing)
	@$(MAKE) --no-print-directory system-packages SYSTEM_PACKAGES="$(E2E_PACKAGES)"
	@$(E2E_PYTEST)

guide-images: setup ## Rewrite docs/screenshots/ (the user guide's pictures) by running the browser journeys
	@$(MAKE) --no-print-directory system-packages SYSTEM_PACKAGES="$(E2E_PACKAGES)"
	@rm -f docs/screenshots/*.png
	@GUIDE_IMAGES=1 $(E2E_PYTEST)
	@missing=$$(grep -ho 'screenshots/[^)]*\.png' docs/user-guide.*.md | sort -u | while read -r p; do [ -f "docs/$$p" ] || echo "$$p"; done); \
	if [ -n "$$missing" ]; then echo "The guides show pictures no journey wrote:" $$missing; exit 1; fi; \
	echo "docs/screenshots/: $$(ls docs/screenshots/*.png | wc -l) pictures written; every one the guides show is among them"

lint: setup ## Ruff lint and format check; import-linter: the layers only point one way (pyproject.toml)
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@set -o pipefail; $(VENV)/bin/lint-imports --no-cache | tail -n 3

# The benchmark scripts (bench/lists_seed.py is a module they import), each with a scratch directory of its own
# (never the site's var/). audit_verify.py (PostgreSQL) and decisions_render.py (SQLite) create their own scratch
# databases; lists_bench.py takes a PostgreSQL URL and creates <database>_<size> next to it.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/tol_lists_bench
bench: setup ## Run the benchmarks on the local PostgreSQL; each script rewrites its section of docs/benchmarks.md
	@set -e; export DJANGO_SETTINGS_MODULE=tolerance.settings DJANGO_DEBUG=true; scratch=$${TMPDIR:-/tmp}; \
	echo "== bench/audit_verify.py"; TOLERANCE_VAR_DIR=$$scratch/audit-bench-var $(PY) bench/audit_verify.py; \
	echo "== bench/decisions_render.py"; $(PY) bench/decisions_render.py; \
	echo "== bench/lists_bench.py"; mkdir -p $$scratch/lists-bench-var; \
	DATABASE_URL=$(BENCH_DATABASE_URL) TOLERANCE_VAR_DIR=$$scratch/lists-bench-var $(PY) bench/lists_bench.py

# Our transitions against the bare Viewflow peer of bench/peer, interleaved; creates <database> and <database>_peer.
TRANSITIONS_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/tol_transitions_bench
bench-transitions: setup ## Claim + execute, filing and the investigation against bare Viewflow; rewrites its section of docs/benchmarks.md
	@BENCH_DATABASE_URL=$(TRANSITIONS_DATABASE_URL) $(PY) bench/transitions_bench.py

# gunicorn (3 workers, DEBUG off, Redis cache) on PostgreSQL under locust; creates and seeds <database> once.
LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/tol_load_bench
bench-load: setup ## Load test: every role's pages and writes under locust against gunicorn; rewrites its section of docs/benchmarks.md
	@BENCH_DATABASE_URL=$(LOAD_DATABASE_URL) $(PY) bench/load_bench.py

decision-images: setup ## Rewrite docs/decisions/: PNG page images of every decision template, zh and en
	@DJANGO_SETTINGS_MODULE=tolerance.settings_test $(PY) -m pytest tests/decisions/page_images.py -q -p no:randomly

deploy-check: setup ## Django's deployment checklist against the current environment
	@$(PY) manage.py check --deploy

# The core's catalog covers tolerance/ (minus the apps with their own catalogs) and our site templates.
CORE_MESSAGES_IGNORE := .venv var workflows tests bench docs fixtures static tolerance/audit tolerance/decisions \
	$(filter-out templates/tolerance templates/viewflow templates/registration,$(wildcard templates/*))
messages: setup ## Refresh the core's zh_Hans catalog from the source (then translate the new entries)
	@DJANGO_DEBUG=true $(PY) manage.py makemessages -l zh_Hans --no-obsolete --add-location=file \
	  $(addprefix --ignore=,$(CORE_MESSAGES_IGNORE))

viewflow-messages: setup ## After upgrading viewflow: merge its current msgids into our translation of them
	@tmp=$$(mktemp -d) && \
	cp -r "$$($(PY) -c 'import importlib.util; print(importlib.util.find_spec("viewflow").submodule_search_locations[0])')" $$tmp/viewflow && \
	(cd $$tmp/viewflow && env -u DJANGO_SETTINGS_MODULE $(abspath $(VENV))/bin/django-admin makemessages -l zh_Hans --no-location -v 0) && \
	msgmerge -q --update --backup=none --no-fuzzy-matching tolerance/locale_viewflow/zh_Hans/LC_MESSAGES/django.po \
	  $$tmp/viewflow/locale/zh_Hans/LC_MESSAGES/django.po; status=$$?; rm -rf $$tmp; exit $$status

setup: system-packages $(VENV)/.installed $(MO_FILES) ## Only install: virtualenv, dependencies, system packages, translations

# constraints.txt pins every package of the resolved set (transitive ones too): a fresh install gets the same.
$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || \
	  { echo "Could not create $(VENV) with $(PYTHON) (on Debian: sudo apt-get install python3-venv)"; exit 1; }
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
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

%.mo: %.po
	@msgfmt --check-format -o $@ $<

migrate: setup
	@mkdir -p $(VAR_DIR)
	@$(PY) manage.py migrate --no-input -v 0
	@$(PY) manage.py collectstatic --no-input -v 0

pki: setup
	@$(PY) manage.py init_pki --if-missing

clean: ## Remove the virtualenv and local data (var/)
	rm -rf $(VENV) var
