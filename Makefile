# Set-up and the two everyday jobs. `make run` and `make test` create .venv when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean-outputs

$(STAMP): pyproject.toml scripts/ensure-system-deps.sh
	bash scripts/ensure-system-deps.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/kehoach run corpus --out outputs

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check pipeline tests benchmarks

# `make bench BENCH="--n 2000 --workers 1,2"`: throughput and memory (not part of the tests)
BENCH ?= --n 500 --workers 1,2
bench: $(STAMP)
	$(BIN)/python benchmarks/throughput.py $(BENCH)

clean-outputs:
	find outputs -mindepth 1 ! -name .gitkeep -exec rm -rf {} +
