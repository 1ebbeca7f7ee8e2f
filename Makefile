# Two commands set everything up on a fresh machine with python3, git and make:
#   make demo   build a fictional service's evidence repo and its signed readiness report
#   make test   run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench lint typecheck clean browser

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	rm -rf demo-output
	$(BIN)/llcompliance demo demo-output

# Headless Chromium renders the HTML report in the tests; install Debian's package when missing.
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	  { if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "chromium could not be installed: browser tests will be skipped"; \
	    else echo "chromium not found and not root: browser tests will be skipped"; fi; }

test: $(STAMP) browser
	$(BIN)/ruff check llcompliance tests bench
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/run.py

lint: $(STAMP)
	$(BIN)/ruff check llcompliance tests
	$(BIN)/mypy

clean:
	rm -rf $(VENV) demo-output build dist .pytest_cache
