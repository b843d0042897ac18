# The two commands a newcomer needs: `make demo` and `make test` (see README.md); `make help`
# lists the others.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The demo always runs on the SQLite file in the checkout, whatever the shell has set.
DEMO_ENV := DATABASE_URL=sqlite:///$(CURDIR)/db.sqlite3 DEBUG=1

.PHONY: demo test bench install install-dev lint migrations-check screenshots db-outage-check audit lock clean help

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installs take the versions pinned in the lock files (`make lock` writes them), each file
# checked against the hash the lock records (--require-hashes: a package missing from the lock,
# or whose file differs, fails the install), so that what runs is what `make audit` checked.
# The desk itself is then installed on top, without resolving anything again.
$(VENV)/.installed: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

demo: $(VENV)/.installed
	$(DEMO_ENV) $(BIN)/python manage.py migrate --no-input
	$(DEMO_ENV) DEMO_ADDRESS=http://$(HOST):$(PORT) $(BIN)/python manage.py load_demo
	$(DEMO_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The suite runs on SQLite, then again on PostgreSQL when TEST_DATABASE_URL (or DATABASE_URL)
# names a PostgreSQL server. With both, the browser journeys (tests/browser) run once, on
# PostgreSQL, production's database, and the stale-surface attack
# (tests/site/test_stale_surfaces.py, the reader cache's invalidation, which no database
# changes) once, on SQLite: each once saves CI about three minutes. So do the tests that use
# no database at all, and those marked `one_database` (tests/conftest.py,
# TESTS_USING_A_DATABASE_ONLY): once, on SQLite.
# Without PostgreSQL, everything runs on SQLite.
PYTEST := $(BIN)/pytest -n 2 -p no:cacheprovider
test: $(VENV)/.installed-dev
	@url="$${TEST_DATABASE_URL:-$${DATABASE_URL:-}}"; \
	case "$$url" in \
	  postgres://*|postgresql://*|pgsql://*) \
	    echo "== test suite on SQLite (the browser journeys run on PostgreSQL)" && \
	    DATABASE_URL=sqlite:///$(CURDIR)/db.sqlite3 $(PYTEST) --ignore=tests/browser && \
	    echo "== test suite on PostgreSQL (the stale-surface attack, the tests marked one_database and those using no database ran on SQLite)" && \
	    TESTS_USING_A_DATABASE_ONLY=1 DATABASE_URL="$$url" $(PYTEST) --ignore=tests/site/test_stale_surfaces.py ;; \
	  *) \
	    echo "== test suite on SQLite" && \
	    DATABASE_URL=sqlite:///$(CURDIR)/db.sqlite3 $(PYTEST) && \
	    echo "== PostgreSQL run skipped: set TEST_DATABASE_URL=postgres://... and run \`make test\`" ;; \
	esac

# Stops and starts a private PostgreSQL cluster under a running gunicorn (production settings,
# two workers): 503s while it is down, 200s again after, nothing lost. Needs the PostgreSQL
# server binaries (/usr/lib/postgresql/*/bin); never touches another server.
db-outage-check: $(VENV)/.installed
	$(BIN)/python .ci/db_outage_check.py

# Known vulnerabilities in the locked dependencies (pip-audit, PyPI's advisories) and security
# mistakes in our code (bandit); docs/deploy.md, *Dependency and code checks*.
audit: $(VENV)/.installed-dev
	$(BIN)/python .ci/audit.py

# Pins every dependency with the hashes of its files (pip-tools' pip-compile, from
# pyproject.toml): requirements.lock what production installs, requirements-dev.lock that plus
# the dev extras, held to the same versions. Pins already in the files are kept; take upgrades
# with `make lock LOCK_ARGS=--upgrade` (or `LOCK_ARGS="--upgrade-package django"`).
LOCK_OPTIONS := --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links $(LOCK_ARGS)
lock: $(VENV)/.installed-dev
	$(BIN)/pip-compile $(LOCK_OPTIONS) --output-file requirements.lock pyproject.toml
	$(BIN)/pip-compile $(LOCK_OPTIONS) --extra dev --constraint requirements.lock \
	  --output-file requirements-dev.lock pyproject.toml
	@echo "requirements.lock: $$(grep -c '^[A-Za-z]' requirements.lock) packages;" \
	  "requirements-dev.lock: $$(grep -c '^[A-Za-z]' requirements-dev.lock)"

# The README's screenshots (docs/screenshots/), taken from the demo desk in headless Chromium
# (/usr/bin/chromium); every test run also writes page screenshots to artifacts/screenshots/.
screenshots: $(VENV)/.installed-dev
	README_SCREENSHOTS=docs/screenshots REQUIRE_BROWSER=1 DATABASE_URL=sqlite:///$(CURDIR)/db.sqlite3 \
	  $(BIN)/pytest -p no:cacheprovider -q tests/browser/test_screenshots.py
# Seeds PostgreSQL at two sizes, runs gunicorn + Redis + PostgreSQL under wrk, writes
# docs/benchmarks.md (README.md, "Benchmarks"). Not part of `make test`: it takes minutes.
bench: $(VENV)/.installed
	$(BIN)/python -m claims.devtools.bench.run

# The lint rules and the formatting (ruff), and no model change without its migration; CI
# runs it before the suite, and the git hooks of .pre-commit-config.yaml run the same.
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(MAKE) --no-print-directory migrations-check

# Fails when the models and the migrations disagree (a change with no migration written for
# it). On an in-memory SQLite database, so it needs no server and leaves no file behind.
migrations-check: $(VENV)/.installed
	DATABASE_URL=sqlite://:memory: $(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) *.egg-info

help:
	@echo "make demo              the demo desk on SQLite at http://$(HOST):$(PORT)/"
	@echo "make test              the suite on SQLite, and on PostgreSQL with TEST_DATABASE_URL"
	@echo "make lint              ruff (the lint rules, the formatting) and the migrations check"
	@echo "make migrations-check  fails when a model change has no migration"
	@echo "make screenshots       the README's screenshots (docs/screenshots/) in headless Chromium"
	@echo "make audit             pip-audit on the lock files, bandit on the code"
	@echo "make lock              pin new dependencies with hashes (LOCK_ARGS=--upgrade: re-pin all)"
	@echo "make db-outage-check   stop and start a private PostgreSQL under gunicorn: 503s, then 200s"
	@echo "make bench             seed two PostgreSQL databases, load them with wrk, write docs/benchmarks.md"
	@echo "make clean             remove the virtualenv"
