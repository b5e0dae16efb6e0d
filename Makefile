# Pervichka: `make run` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The development tools (tests, linters, type checker) on top: requirements-dev.txt.
DEV_STAMP := $(VENV)/.installed-dev

# The first Python 3.12+ found: on PATH, then pyenv's versions.
PYTHON ?= $(shell for c in python3.13 python3.12 python3 python $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3; do \
	  $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { echo $$c; break; }; done)

.PHONY: run test lint format messages bench chaos clean-data

$(STAMP): requirements.txt constraints.txt
	@test -n "$(PYTHON)" || { echo "Pervichka needs Python 3.12 or newer: install it (python.org or your package manager) and run make again."; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24"
	$(PY) -m pip install --quiet -r requirements.txt -c constraints.txt
	$(PY) -m pip check
	@touch $(STAMP)

$(DEV_STAMP): $(STAMP) requirements-dev.txt constraints.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt -c constraints.txt
	$(PY) -m pip check
	@touch $(DEV_STAMP)

run: $(STAMP)
	$(PY) manage.py run_local $(RUN_ARGS)

test: $(DEV_STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m djlint templates --lint --quiet
	$(PY) -m mypy .
	@bash scripts/ensure-chromium.sh
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS); status=$$?; \
	  if [ -z "$$DATABASE_URL" ]; then $(PY) config/embedded_db.py stop; fi; exit $$status

# The benchmark at national scale (QUICK=1: demo scale, timings not judged; ONLY=name[,name]:
# rerun scenarios by the names the table prints, reusing the national data). See bench/.
bench: $(DEV_STAMP)
	@command -v ab >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq apache2-utils >/dev/null; } || { echo "bench needs ab: apt-get install apache2-utils"; exit 1; }
	$(PY) -m bench $(if $(QUICK),--quick,) $(if $(ONLY),--only '$(ONLY)',)

# Failures on real processes (worker killed, Redis killed, PostgreSQL cut, web with Redis down):
# needs DATABASE_URL and REDIS_URL; not part of `make test`. QUICK=1: fewer messages. See chaos/.
chaos: $(DEV_STAMP)
	@test -n "$$DATABASE_URL" || { echo "make chaos needs DATABASE_URL (and REDIS_URL): see chaos/__init__.py"; exit 2; }
	timeout 900 $(PY) -m chaos $(if $(QUICK),--quick,)

lint: $(DEV_STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

messages: $(DEV_STAMP)
	$(PY) manage.py makemessages --locale ru --locale en --ignore '.venv/*' --no-obsolete
	$(PY) manage.py compilemessages --ignore '.venv/*'

clean-data:
	-$(PY) config/embedded_db.py stop
	rm -rf .pgdata .celery
