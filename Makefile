# Set-up and the two everyday commands. Needs only Python 3.11+, pip and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: site test serve validate lint clean

## site: build the site into site/ (creates .venv with the pinned dependencies first)
site: $(STAMP)
	$(BIN)/peerdir build --site-dir site

## test: run the whole test suite
test: $(STAMP)
	$(BIN)/python -m pytest

## serve: local preview on http://127.0.0.1:8000 that reloads when a record is saved.
## --dirty: MkDocs renders again only the pages whose files changed (peerdir generate
## rewrites only those), which keeps a save under a few seconds at thousands of programs.
serve: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve --dirty

validate: $(STAMP)
	$(BIN)/peerdir validate

## lint: ruff (lint and format check) and mypy on generator/, yamllint on the records
## and on the YAML settings (where a duplicated key silently drops the first one)
YAML_CONFIGS := {extends: relaxed, rules: {line-length: disable, truthy: disable}}
lint: $(STAMP)
	$(BIN)/ruff check generator tests benchmarks
	$(BIN)/ruff format --check generator tests benchmarks
	$(BIN)/mypy
	$(BIN)/yamllint --strict -c .yamllint.yml directory
	$(BIN)/yamllint --strict -d "$(YAML_CONFIGS)" mkdocs.yml links.yml data .github

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --requirement requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --editable .
	# pip compiles what it installs, but not an editable project: compile it too, or every
	# command compiles it again where PYTHONDONTWRITEBYTECODE is set (as on these machines).
	$(BIN)/python -m compileall -q generator
	touch $(STAMP)

clean:
	rm -rf site .site-build-* build
