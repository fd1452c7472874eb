# The two commands of the README: `make report` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
STORE := data/vises.sqlite
LANG_REPORT ?= fr

.PHONY: setup report test lint sample serve lab clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,postgres,lab]'
	touch $(STAMP)

setup: $(STAMP)

$(STORE): | $(STAMP)
	$(BIN)/vises sample --store $(STORE)

sample: $(STAMP)
	$(BIN)/vises sample --store $(STORE) --force

report: $(STAMP) $(STORE)
	$(BIN)/vises run --store $(STORE) --lang $(LANG_REPORT)
	@echo "Open reports/index.html"

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check vises_nb tests benchmarks

serve: $(STAMP) $(STORE)
	$(BIN)/vises serve --store $(STORE)

lab: $(STAMP) $(STORE)
	VISES_STORE=sqlite:///$(abspath $(STORE)) $(BIN)/jupyter lab notebooks

clean:
	rm -rf reports/*/ reports/*.html
