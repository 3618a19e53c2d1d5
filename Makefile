# Front door: `make book` builds the HTML book, `make test` runs every check.
# Both create .venv and install the project on first use (Python 3.11 + pip is all a machine needs).
# Builds in one tree take turns (book/_ext/one_build.py holds a lock), the first install included.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
LOCKED := $(PYTHON) book/_ext/one_build.py _build/.lock -- $(MAKE) --no-print-directory

.PHONY: help book test validate pdf offline lab clean book-unlocked test-unlocked validate-unlocked pdf-unlocked \
	offline-unlocked lab-unlocked

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 12

book: ## validate the data, execute stale chapters, build the HTML book into _build/html
	@$(LOCKED) book-unlocked

# The print edition (_build/pdf/karabakh-2020-in-data.pdf, printed by Chromium) and the offline
# edition with the data package (_build/offline/*.zip), from the built book; both are also copied
# into _build/html/editions/, where every page links to them. `make book` makes them too, after every
# HTML build (which starts from an empty folder).
pdf: ## the print edition, _build/pdf/karabakh-2020-in-data.pdf (Chromium, no LaTeX)
	@$(LOCKED) pdf-unlocked

offline: ## the offline edition and the data package as zips, in _build/offline
	@$(LOCKED) offline-unlocked

test: ## every check, changing nothing: data, current chapters, build, tests, browser, nbval
	@$(LOCKED) test-unlocked

validate: ## check the data package (our validator and Frictionless's)
	@$(LOCKED) validate-unlocked

lab: ## open JupyterLab on the chapters, in the project's environment (installs it on first use)
	@$(LOCKED) lab-unlocked
	$(BIN)/jupyter lab --notebook-dir=book

LAB_STAMP := $(VENV)/.lab-stamp
lab-unlocked: $(LAB_STAMP)
$(LAB_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[book,test,lab]"
	touch $(LAB_STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[book,test]"
	$(BIN)/python -m ipykernel install --prefix $(VENV) --name python3 >/dev/null
	touch $(STAMP)

# Everything the HTML build reads; the chapters' own inputs are tracked by the chapter runner.
BOOK_INPUTS := _config.yml _toc.yml LICENSE $(wildcard book/*.ipynb book/*.md book/_ext/*.py book/_static/* data/*)
HTML_STAMP  := _build/html/.built-stamp

# Validate the data (invalid data stops here, before any kernel), execute the chapters whose inputs
# changed (outputs are stored in the notebooks), then render the book into a fresh folder unless
# nothing it reads has changed since the last successful build, and put into it the editions its
# footer links to (book/_ext/editions.py: the print edition opens in Chromium, two tabs at a time,
# only the pages whose built HTML changed, and prints again only a changed document; the zips take
# the whole built site in about a second). The stamp is touched only when both succeeded: a built
# page never links to a missing edition or to one made from another build.
book-unlocked: $(STAMP)
	$(BIN)/python book/_ext/run_chapters.py
	@$(MAKE) --no-print-directory $(HTML_STAMP)

$(HTML_STAMP): $(BOOK_INPUTS) $(STAMP)
	$(BIN)/python book/_ext/build_html.py
	$(BIN)/python book/_ext/editions.py all
	touch $(HTML_STAMP)

pdf-unlocked: book-unlocked
	$(BIN)/python book/_ext/editions.py pdf

offline-unlocked: book-unlocked
	$(BIN)/python book/_ext/editions.py offline

validate-unlocked: $(STAMP)
	$(BIN)/python -m analysis validate data
	$(BIN)/frictionless validate --trusted data/datapackage.json

# Every check, changing no tracked file: the data; that every chapter's stored outputs were made from
# today's inputs (it does not re-execute: a stale chapter fails, naming the inputs that changed); the
# book build (warnings are errors); unit, data, build and browser tests; nbval re-runs every chapter
# and compares; last, that the run left the working tree as it found it.
TREE_STATE = { git status --porcelain -uall; git ls-files -m -o --exclude-standard -z | xargs -0 -r sha1sum; } 2>/dev/null

test-unlocked: validate-unlocked
	@mkdir -p _build && $(TREE_STATE) > _build/.tree-before
	$(BIN)/ruff format --check analysis book/_ext tests benchmarks
	$(BIN)/ruff check analysis book/_ext tests benchmarks
	$(BIN)/mypy
	$(BIN)/python book/_ext/run_chapters.py --check
	@$(MAKE) --no-print-directory $(HTML_STAMP)
	$(BIN)/python -m pytest tests --cov=analysis --cov-report=term-missing:skip-covered --cov-fail-under=90
	$(BIN)/python -m pytest --nbval book -p no:cacheprovider
	@$(TREE_STATE) | diff _build/.tree-before - \
		|| { echo "make test changed the working tree (above); it must only check"; exit 1; }

clean: ## remove what builds and tests leave (not the environment)
	rm -rf _build .pytest_cache .ruff_cache .mypy_cache
