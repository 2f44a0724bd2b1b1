# Maillage — the README's two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
# Runtime deps for the demo; test extras on top for the test suite. constraints.txt pins both.
RUNTIME_STAMP := $(VENV)/.runtime-installed
TEST_STAMP := $(VENV)/.test-installed
ASSETS_STAMP := node_modules/.installed

.PHONY: demo test lint typecheck pytest serve worker messages bench clean

demo: $(RUNTIME_STAMP) $(ASSETS_STAMP) messages
	$(BIN)/maillage demo

test: $(TEST_STAMP) $(ASSETS_STAMP) messages lint typecheck pytest

$(VENV)/bin/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade "pip>=24"

$(RUNTIME_STAMP): $(VENV)/bin/python pyproject.toml constraints.txt
	$(PIP) install --quiet -c constraints.txt -e .
	touch $@

$(TEST_STAMP): $(RUNTIME_STAMP) pyproject.toml constraints.txt
	$(PIP) install --quiet -c constraints.txt -e '.[test]'
	touch $@

# Browser libraries (htmx) from the npm registry, into the git-ignored node_modules/.
$(ASSETS_STAMP): package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	touch $@

# Compile the French catalogues (gettext's msgfmt).
messages: $(RUNTIME_STAMP)
	cd maillage && ../$(BIN)/django-admin compilemessages --ignore '.venv' -v 0

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(TEST_STAMP)
	MAILLAGE_MODE=development $(BIN)/mypy maillage

pytest: $(TEST_STAMP) $(ASSETS_STAMP) messages
	$(BIN)/pytest $(PYTEST_ARGS)

bench: $(TEST_STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .mypy_cache .ruff_cache
