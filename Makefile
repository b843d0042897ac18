# The two commands a newcomer needs: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The demo always runs on the SQLite file in the checkout, whatever the shell has set.
DEMO_ENV := DATABASE_URL=sqlite:///$(CURDIR)/db.sqlite3 DEBUG=1

.PHONY: demo test bench install install-dev lint clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

demo: $(VENV)/.installed
	$(DEMO_ENV) $(BIN)/python manage.py migrate --no-input
	$(DEMO_ENV) $(BIN)/python manage.py load_demo
	$(DEMO_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The suite runs on SQLite, then again on PostgreSQL when TEST_DATABASE_URL (or DATABASE_URL)
# names a PostgreSQL server.
test: $(VENV)/.installed-dev
	@echo "== test suite on SQLite"
	DATABASE_URL=sqlite:///$(CURDIR)/db.sqlite3 $(BIN)/pytest -n 2 -p no:cacheprovider
	@url="$${TEST_DATABASE_URL:-$${DATABASE_URL:-}}"; \
	case "$$url" in \
	  postgres://*|postgresql://*|pgsql://*) \
	    echo "== test suite on PostgreSQL"; \
	    DATABASE_URL="$$url" $(BIN)/pytest -n 2 -p no:cacheprovider ;; \
	  *) echo "== PostgreSQL run skipped: set TEST_DATABASE_URL=postgres://... to run it" ;; \
	esac

# Seeds PostgreSQL at two sizes, runs gunicorn + Redis + PostgreSQL under wrk, writes
# docs/benchmarks.md (README.md, "Benchmarks"). Not part of `make test`: it takes minutes.
bench: $(VENV)/.installed
	$(BIN)/python -m claims.bench.run

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) *.egg-info
