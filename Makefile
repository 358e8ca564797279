# watchfloor: two commands on a fresh machine with Python 3.11 — `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint typecheck pytest system-deps bench fuzz clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## make demo: install, then run the main job on the bundled data (store: ./watchfloor-demo.db)
demo: install
	$(BIN)/watchfloor demo

## make test: install (PostgreSQL and Chromium included), lint, type-check, run every test
test: install system-deps lint typecheck pytest

system-deps:
	bash .ci/system-deps.sh

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports  # the one-way import graph: [tool.importlinter] in pyproject.toml

typecheck: install
	$(BIN)/mypy src

# The PostgreSQL tests run against a throw-away cluster on loopback, started and stopped here.
pytest: install
	bash .ci/with-postgres.sh $(BIN)/python -m pytest $(PYTEST_ARGS)

## make bench: install the peers used for comparison, then run every benchmark
bench: install
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	for b in benchmarks/*_bench.py; do $(BIN)/python $$b || exit 1; done

## make fuzz: every reader's fuzz tests, the size caps, SIGKILL and concurrent-writer trials, long budget
FUZZ_TESTS := tests/sources/lists/test_fuzz.py tests/sources/ais/test_fuzz.py tests/sources/test_fuzz_reports.py \
	tests/sources/ais/test_fuzz_geojson.py tests/sources/test_fuzz_feeds.py tests/share/test_fuzz_stix.py \
	tests/api/test_fuzz_bodies.py tests/service/test_audit.py \
	tests/sources/test_size_caps.py tests/store/test_crash_safety.py tests/store/test_concurrency.py
ATHERIS_RUNS ?= 20000
fuzz: install system-deps
	WATCHFLOOR_FUZZ_EXAMPLES=2000 WATCHFLOOR_FUZZ_RANDOM=1 WATCHFLOOR_CRASH_TRIALS=25 WATCHFLOOR_CONCURRENCY_TRIALS=10 \
		bash .ci/with-postgres.sh $(BIN)/python -m pytest -q $(FUZZ_TESTS)
	$(BIN)/python -m pip install --quiet -e '.[fuzz]'
	$(BIN)/python tests/fuzz_atheris.py -runs=$(ATHERIS_RUNS) -max_len=65536

clean:
	rm -rf $(VENV) build dist src/*.egg-info .mypy_cache .ruff_cache .pytest_cache
