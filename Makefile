# Two commands set everything up on a fresh machine with python3, git and make:
#   make demo   build a fictional service's evidence repo and its signed readiness report
#   make test   run the whole test suite (ruff, mypy --strict, pytest) on the locked, tested versions
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The versions the tests run on, with hashes, for Python 3.10+ (`make lock` refreshes it).
# pyproject.toml keeps the package's own ranges open for users.
LOCK := requirements/dev.lock

.PHONY: demo test test-latest bench lint typecheck lock clean browser

$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

demo: $(STAMP)
	rm -rf demo-output
	$(BIN)/llcompliance demo demo-output

# Real tools the tests drive: headless Chromium renders the HTML report; LibreOffice and pdftoppm
# render the Word and Excel exports. Installed from Debian's packages when missing and run as root;
# otherwise those tests skip and say why.
DEBS_NEEDED = $(if $(shell command -v chromium || command -v chromium-browser),,chromium) \
  $(if $(shell command -v soffice),,libreoffice-writer-nogui libreoffice-calc-nogui) \
  $(if $(shell command -v pdftoppm),,poppler-utils)
browser:
	@if [ -n "$(strip $(DEBS_NEEDED))" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	      $(strip $(DEBS_NEEDED)) >/dev/null) \
	    || echo "could not install $(strip $(DEBS_NEEDED)): the tests that need them will be skipped"; \
	  else echo "missing $(strip $(DEBS_NEEDED)) and not root: the tests that need them will be skipped"; fi; \
	fi

test: $(STAMP) browser
	$(BIN)/ruff check llcompliance tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

# The same suite on the newest releases of every dependency, in a venv of its own: drift shows up
# here (the toolkit's CI runs it as a separate job) instead of breaking `make test`.
test-latest: browser
	$(PYTHON) -m venv .venv-latest
	.venv-latest/bin/python -m pip install --quiet --upgrade --upgrade-strategy eager -e '.[test,dev]'
	.venv-latest/bin/python -m pytest -q -p no:cacheprovider

# Refresh the lock: newest versions that satisfy pyproject.toml, with hashes, for every Python we support.
lock:
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet uv
	.venv-lock/bin/uv pip compile --quiet --universal --python-version 3.10 --generate-hashes \
	  --extra test --extra dev --upgrade --no-emit-index-url -o $(LOCK) pyproject.toml
	.venv-lock/bin/uv pip compile --quiet --universal --python-version 3.10 --generate-hashes \
	  -c $(LOCK) --no-emit-index-url -o requirements/action.lock pyproject.toml requirements/action.in

# Every figure the issues ask for, printed: commands and hook path beside their floors, readiness
# over time, the fleet view, and the guard beside a well-known PII library (when it is installed).
bench: $(STAMP)
	$(BIN)/python bench/run.py
	cd bench && PYTHONPATH=$(CURDIR) ../$(BIN)/python trend.py --documents 2500 --commits 3000
	$(BIN)/python bench/fleet.py --services 200
	$(BIN)/python bench/peer.py

lint: $(STAMP)
	$(BIN)/ruff check llcompliance tests bench
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .venv-latest .venv-lock demo-output build dist .pytest_cache
