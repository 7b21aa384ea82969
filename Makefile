# Prongsai. `make run` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench schema clean

# Python >= 3.11 with venv; Debian packages through apt-get where missing (needs root).
$(BIN)/python:
	@scripts/ensure-python.sh "$(PYTHON)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	@$(BIN)/prongsai analyze prongsai/demo/seed003.json
	@echo
	@echo "Demo: analysis of เทศบาลตำบลต้นหยงมัส (seed 003). Try also:"
	@echo "  $(BIN)/prongsai score prongsai/demo/seed003.json"
	@echo "  $(BIN)/prongsai plan prongsai/demo/seed003.json"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(STAMP) lint
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/engine.py

schema: $(STAMP)
	$(BIN)/python -c "from prongsai.interchange.schema import write_schema; write_schema()"

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis *.egg-info
