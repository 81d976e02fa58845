# geoaleppo: `make map` and `make test` are all a new user needs (they install first).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SEED := maps/aleppo-2016-12-05
SHARED ?= ../shared

.PHONY: install test map bench lint gazetteer screenshot clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "geoaleppo needs Python 3.11 or newer (PYTHON=$(PYTHON))" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/geoaleppo assets fetch
	touch $(STAMP)

test: install
	$(BIN)/ruff check geoaleppo tests scripts
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

map: install
	$(BIN)/geoaleppo map $(SEED).txt -o $(SEED).html --offline

# Rewrite the README's screenshots of the seed map (review the images, then commit them).
screenshot: install
	GEOALEPPO_UPDATE_SCREENSHOTS=1 $(BIN)/python -m pytest -q tests/test_maps_browser.py tests/test_map_slider.py -k screenshot

bench: install
	$(BIN)/python scripts/bench.py

lint: install
	$(BIN)/ruff check geoaleppo tests scripts
	$(BIN)/mypy

# Rebuild gazetteer/ from the shared source data (maintainers only; the result is committed).
gazetteer: install
	$(BIN)/python -m pip install --quiet -e '.[test,gazetteer]'
	$(BIN)/python scripts/build_gazetteer.py --source $(SHARED)/data
	$(BIN)/geoaleppo gazetteer validate

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
