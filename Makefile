# The two commands of the README: `make run` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck bench bench-quick clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[entities,entities-fr,dev]'
	@# bytecode now, as a non-editable install has it (where PYTHONDONTWRITEBYTECODE is set,
	@# an editable install would compile every module again at each launch: ~0.15 s)
	$(BIN)/python -m compileall -q index tui > /dev/null
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/newsreader $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check index tui tests bench
	$(BIN)/ruff format --check index tui tests bench

typecheck: $(STAMP)
	$(BIN)/python tests/typecheck.py

test: $(STAMP) lint typecheck
	$(BIN)/python -m pytest $(ARGS)

bench: $(STAMP)
	$(BIN)/python -m bench.run $(ARGS)

bench-quick: $(STAMP)
	$(BIN)/python -m bench.run --quick $(ARGS)

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .pytest_cache .ruff_cache
