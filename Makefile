# Two commands: `make run` starts the bot (console chat without a token), `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

# The modules mypyc compiles (bot/compiled.py): a change to one reinstalls, which compiles anew.
COMPILED_SOURCES := setup.py bot/compiled.py $(shell $(PYTHON) -c "import runpy; \
	m = runpy.run_path('bot/compiled.py'); \
	print(*(m['source_path'](n, m['Path']('.')) for n in m['COMPILED_MODULES']))")

.PHONY: run test lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml $(COMPILED_SOURCES) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(COMPILED_SOURCES) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/python -m bot run

lint: $(VENV)/.installed-test
	$(BIN)/ruff check bot tests
	$(BIN)/ruff format --check bot tests
	$(BIN)/mypy

# pytest exits non-zero (5) when it collects no tests, so an empty suite fails too.
test: lint
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build bot__mypyc.*
	find bot -name "*.so" -delete
