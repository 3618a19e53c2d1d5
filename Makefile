# Front door: `make book` builds the HTML book, `make test` runs every check.
# Both create .venv and install the project on first use (Python 3.11 + pip is all a machine needs).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: book test validate clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[book,test]"
	$(BIN)/python -m ipykernel install --prefix $(VENV) --name python3 >/dev/null
	touch $(STAMP)

# Everything the HTML build reads; the chapters' own inputs are tracked by the chapter runner.
BOOK_INPUTS := _config.yml _toc.yml $(wildcard book/*.ipynb book/_ext/*.py book/_static/* data/*)
HTML_STAMP  := _build/html/.built-stamp

# Execute the chapters whose inputs changed (outputs are stored in the notebooks), then render the
# book with Sphinx unless nothing it reads has changed since the last successful build.
book: $(STAMP)
	$(BIN)/python book/_ext/run_chapters.py
	@$(MAKE) --no-print-directory $(HTML_STAMP)

$(HTML_STAMP): $(BOOK_INPUTS) $(STAMP)
	$(BIN)/jupyter-book build . --warningiserror --nitpick --keep-going
	touch $(HTML_STAMP)

validate: $(STAMP)
	$(BIN)/python -m analysis validate data
	$(BIN)/frictionless validate --trusted data/datapackage.json

# Every check: the data, the book build (warnings are errors), then unit, data, build and nbval tests.
test: validate book
	$(BIN)/python -m pytest tests --cov=analysis --cov-report=term-missing:skip-covered --cov-fail-under=90
	$(BIN)/python -m pytest --nbval book -p no:cacheprovider

clean:
	rm -rf _build .pytest_cache
