# Partnerbase: `make help` lists the targets.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# manage.py defaults to the production settings; the demo runs the development ones.
DEV := DJANGO_SETTINGS_MODULE=cms.settings.dev

.PHONY: help install lint check test demo bench clean serve load

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' Makefile | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## create .venv and install everything

lint: install ## ruff (lint and format) and import-linter contracts
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

check: install ## Django system checks and the migrations check
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) manage.py makemigrations --check --dry-run
	SECRET_KEY=check-deploy-$$(printf '%064d' 0 | tr 0 x)-not-used ALLOWED_HOSTS=example.org \
	  REDIS_URL=redis://127.0.0.1:6379/0 \
	  DJANGO_SETTINGS_MODULE=cms.settings.production $(PY) manage.py check --deploy --fail-level WARNING

test: lint check ## set up, lint, check, then run pytest
	$(VENV)/bin/pytest

demo: install ## set up, migrate SQLite, load reference + demo data, serve on 127.0.0.1:8000
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py setup_site
	$(DEV) $(PY) manage.py load_reference_data
	$(DEV) $(PY) manage.py load_demo
	$(DEV) $(PY) manage.py find_duplicates 2>/dev/null
	@echo "Site: http://127.0.0.1:8000/   Admin: http://127.0.0.1:8000/admin/"
	@echo "Try Admin > Import with fixtures/demo_partners_import.csv to see duplicate decisions."
	$(DEV) $(PY) manage.py runserver 127.0.0.1:8000

bench: install ## run the benchmarks and print figures
	$(PY) -m pip install -q -e '.[dev,bench]'
	$(PY) bench/bench_dedup.py
	$(PY) bench/bench_data.py
	$(PY) bench/bench_coord.py
	$(PY) bench/bench_slack.py
	$(PY) bench/bench_admin.py
	$(PY) bench/bench_site.py
	$(PY) bench/bench_report.py
	$(PY) bench/bench_import.py
	$(PY) bench/bench_api.py

# --- Production stack (deploy/, ops/) -----------------------------------------------------------
PGURL ?= postgres://postgres@127.0.0.1:5432/partnerbase
serve: install ## production stack here: PostgreSQL + Redis, migrate, gunicorn + worker + scheduler
	deploy/services.sh
	@psql "$(dir $(PGURL))postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='$(notdir $(PGURL))'" | grep -q 1 \
	  || psql "$(dir $(PGURL))postgres" -c "CREATE DATABASE $(notdir $(PGURL))"
	DATABASE_URL="$${DATABASE_URL:-$(PGURL)}" REDIS_URL="$${REDIS_URL:-redis://127.0.0.1:6379/0}" \
	  SECRET_KEY="$${SECRET_KEY:-$$(cat .secret_key 2>/dev/null || $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' | tee .secret_key)}" \
	  ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" deploy/serve.sh

LOADURL ?= postgres://postgres@127.0.0.1:5432/partnerbase_load
load: install ## load test: 50 users against a 4-worker gunicorn on PostgreSQL (bench/load/)
	deploy/services.sh
	@psql "$(dir $(LOADURL))postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='$(notdir $(LOADURL))'" | grep -q 1 \
	  || psql "$(dir $(LOADURL))postgres" -c "CREATE DATABASE $(notdir $(LOADURL))"
	DATABASE_URL="$(LOADURL)" $(PY) bench/load/run.py --seed $(LOAD_ARGS)

clean: ## remove the virtualenv and the SQLite database
	rm -rf $(VENV) db.sqlite3
