# Two commands do all set-up on a fresh machine with python3 and pip:
#   make summary   -- create .venv, install the package, print the dataset summary
#   make test      -- create .venv, install the package with its test tools, run the tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: summary test lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,lint]"
	touch $(STAMP)

summary: $(STAMP)
	$(BIN)/python -m tokyotech_partners

test: $(STAMP)
	$(BIN)/python -m pytest
	$(BIN)/python -m mypy
	$(BIN)/python -m ruff check src tests
	$(BIN)/python -m ruff format --check src tests

clean:
	rm -rf $(VENV) dist build .pytest_cache .mypy_cache .ruff_cache .hypothesis
