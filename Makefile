# Lianxin: `make demo` serves the demo district on 127.0.0.1:5000; `make test` runs the tests.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app server
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install db demo serve test scheduler bench lap clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

db: install
	$(FLASK) db upgrade heads

demo: db
	$(FLASK) demo load --if-empty
	@echo "Demo logins (POST /api/v1/auth/wechat-login with {\"code\": ...}; each code works once):"
	@$(FLASK) demo logins
	@echo "API on http://$(HOST):$(PORT)/api/v1  -  docs on http://$(HOST):$(PORT)/docs"
	@echo "Console on http://$(HOST):$(PORT)/console/ (pick a demo user on its login page; docs/console.md)"
	$(BIN)/gunicorn --workers 2 --threads 4 --bind $(HOST):$(PORT) --access-logfile - 'server:create_app()'

scheduler: db
	$(BIN)/python -m jobs

test: install
	$(BIN)/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

bench: install
	$(BIN)/python -m matching bench

lap: install
	@for f in ../shared/bench/orlib/assign*.txt; do printf '%s: ' $$f; $(BIN)/python -m matching lap $$f | tail -n 1; done

clean:
	rm -rf $(VENV) instance

# Reliability harness (docs/reliability.md). fuzz: schemathesis over every endpoint and role with
# FUZZ_MAX_EXAMPLES examples each; race/load/faults: gunicorn + a PostgreSQL of their own on
# 127.0.0.1:55439 (scripts/reliability/stack.py), results as JSON in docs/figures/.
# fuzz-demo: the same over the demo district's own data (`flask demo load` into a fresh database);
# `make test` (and so CI, on SQLite and PostgreSQL) runs both with a few examples each.
FUZZ_MAX_EXAMPLES ?= 50
.PHONY: fuzz fuzz-demo race load faults
fuzz: install
	FUZZ_MAX_EXAMPLES=$(FUZZ_MAX_EXAMPLES) $(BIN)/python -m pytest -q -p no:cacheprovider tests/reliability/test_fuzz_openapi.py

fuzz-demo: install
	FUZZ_DEMO_MAX_EXAMPLES=$(FUZZ_MAX_EXAMPLES) $(BIN)/python -m pytest -q -p no:cacheprovider tests/reliability/test_fuzz_demo.py

race: install
	$(BIN)/python scripts/reliability/race.py --out docs/figures/race.json

load: install
	$(BIN)/python scripts/reliability/load.py --out docs/figures/load.json

faults: install
	$(BIN)/python scripts/reliability/faults.py --out docs/figures/faults.json
