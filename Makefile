# Two commands do all set-up on a fresh machine with python3 and pip:
#   make summary   -- create .venv, install the package, print the dataset summary
#   make test      -- create .venv with the test tools; run the tests on the source tree,
#                     mypy, ruff, the docs build, and the tests again against the built wheel
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
BASE := $(VENV)/.installed-package
STAMP := $(VENV)/.installed-dev
WHEEL_VENV := .venv-wheel

.PHONY: summary test check docs wheel-test clean

# The package alone (for the summary), then its test, lint and docs tools on top.
$(BASE): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(BASE)

$(STAMP): $(BASE)
	$(BIN)/python -m pip install --quiet -e ".[test,lint,docs]"
	touch $(STAMP)

summary: $(BASE)
	$(BIN)/python -m tokyotech_partners

test: check docs wheel-test

check: $(STAMP)
	$(BIN)/python -m pytest
	$(BIN)/python -m mypy
	$(BIN)/python -m ruff check src tests tools benchmarks docs/conf.py
	$(BIN)/python -m ruff format --check src tests tools benchmarks docs/conf.py

docs: $(STAMP)
	rm -rf docs/_build
	$(BIN)/python -m sphinx -W --keep-going -q -b html docs docs/_build/html

# Build the wheel, install it (not the source tree) into a fresh environment and run the
# test suite against it.
wheel-test: $(STAMP)
	rm -rf dist $(WHEEL_VENV)
	$(BIN)/python -m pip wheel --quiet --no-deps --wheel-dir dist .
	$(PYTHON) -m venv $(WHEEL_VENV)
	$(WHEEL_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(WHEEL_VENV)/bin/python -m pip install --quiet "$$(ls dist/*.whl)[test]"
	cd tests && TTP_WHEEL="$$(ls ../dist/*.whl)" TTP_EXPECT_INSTALLED=1 \
		../$(WHEEL_VENV)/bin/python -m pytest -p no:cacheprovider --rootdir=.. -c ../pyproject.toml \
		--doctest-modules --pyargs tokyotech_partners . ../README.md ../docs

clean:
	rm -rf $(VENV) $(WHEEL_VENV) dist build docs/_build .pytest_cache .mypy_cache .ruff_cache .hypothesis
