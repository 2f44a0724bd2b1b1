# Maillage — the README's two commands: `make demo` and `make test`.
# The newest Python 3.11+ on the PATH that actually runs (pyenv shims may not); override with
# `make PYTHON=/path/to/python3`.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && echo $$p && break; done)
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
# Runtime deps for the demo; test extras on top for the test suite. constraints.txt pins both.
# Each step leaves a stamp, so a second `make test` reinstalls nothing.
RUNTIME_STAMP := $(VENV)/.runtime-installed
TEST_STAMP := $(VENV)/.test-installed
ASSETS_STAMP := node_modules/.installed
# French catalogues: each .mo is rebuilt when its .po changes (gettext's msgfmt).
PO_FILES := $(shell find maillage -path '*/locale/*/LC_MESSAGES/*.po')
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: demo test install lint typecheck pytest serve worker messages bench clean

demo: $(RUNTIME_STAMP) $(ASSETS_STAMP) messages
	$(BIN)/maillage demo

test: $(TEST_STAMP) $(ASSETS_STAMP) messages lint typecheck pytest

# What a real installation needs: .venv with the pinned runtime, htmx, compiled catalogues.
install: $(RUNTIME_STAMP) $(ASSETS_STAMP) messages

$(VENV)/bin/python:
	@test -n "$(PYTHON)" || { echo "Python 3.11+ is required: none found on the PATH." >&2; exit 1; }
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required, this is " + sys.version.split()[0]'
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
	@command -v npm >/dev/null 2>&1 || { echo "Node.js and npm are required (for htmx)." >&2; exit 1; }
	npm ci --silent --no-audit --no-fund
	touch $@

messages: $(MO_FILES)

%.mo: %.po
	@command -v msgfmt >/dev/null 2>&1 || { echo "gettext (msgfmt) is required to compile $<." >&2; exit 1; }
	msgfmt --check-format -o $@ $<

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(TEST_STAMP)
	MAILLAGE_MODE=development $(BIN)/mypy maillage

# pytest's own exit status is kept: 5 ("no tests collected") fails the build like any other.
# Two worker processes (pytest-xdist), each on its own test database: many tests wait on a child
# process, a browser or a socket, and one process left the second core idle (9 min 16 s for
# the suite alone on an idle two-core machine, 7 min 13 s with two). PYTEST_WORKERS=0: one process.
PYTEST_WORKERS ?= 2
pytest: $(TEST_STAMP) $(ASSETS_STAMP) messages
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

# For real deployments, see the README (`maillage serve` and `maillage worker` beside it).
serve: $(RUNTIME_STAMP) $(ASSETS_STAMP) messages
	$(BIN)/maillage serve

worker: $(RUNTIME_STAMP)
	$(BIN)/maillage worker

bench: $(TEST_STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .mypy_cache .ruff_cache $(MO_FILES)
