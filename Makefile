# Prongsai. `make run` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Debug is off unless asked for (prongsai/web/settings.py): the development server asks.
DEV    := PRONGSAI_DEBUG=1

# PDF is made in-process by Typst (a wheel); fontconfig lets LibreOffice find TH Sarabun New.
# The tests read PDFs with poppler and open DOCX with LibreOffice.
APT_RUNTIME := fontconfig
APT_TEST    := poppler-utils libreoffice-writer-nogui
# Translations are compiled with GNU gettext; browser tests drive Debian's chromium.
APT_WEB     := gettext chromium
# The importer OCRs scanned reports (and reads .doc through LibreOffice, already in APT_TEST).
APT_IMPORT  := tesseract-ocr tesseract-ocr-tha

.PHONY: run test check lint bench fuzz schema samples fonts system clean

# Python >= 3.11 with venv; Debian packages through apt-get where missing (needs root).
$(BIN)/python:
	@scripts/ensure-python.sh "$(PYTHON)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

system:
	@scripts/ensure-apt.sh $(APT_RUNTIME)

# Downloads once; registers with fontconfig every time (cheap) so LibreOffice finds the real font.
fonts: $(BIN)/python system
	@scripts/install-fonts.sh $(BIN)/pip

# The web application on SQLite with the demo data, at http://127.0.0.1:8000/
run: $(STAMP) fonts
	@scripts/ensure-apt.sh $(APT_WEB)
	$(DEV) $(BIN)/python manage.py migrate --no-input -v 0
	$(DEV) $(BIN)/python manage.py compilemessages -v 0 --ignore=.venv
	$(DEV) $(BIN)/python manage.py load_demo
	@scripts/run-dev.sh $(BIN)/python

# mypy checks the packages listed under [tool.mypy] files in pyproject.toml (strict).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The quick loop while working (about half a minute): lint, types, and the tests of the engine,
# the interchange format and the Thai helpers, which need no database, browser or LibreOffice.
# `make test` runs everything.
CHECK_TESTS := tests/test_scoring.py tests/test_analysis.py tests/test_plan.py tests/test_editions.py \
	tests/test_library.py tests/test_properties.py tests/test_periods.py tests/test_engine_golden.py \
	tests/test_interchange.py tests/test_font_metrics.py tests/test_preaudit.py
check: lint fonts
	$(BIN)/python -m pytest $(CHECK_TESTS)

test: $(STAMP) lint fonts
	@scripts/ensure-apt.sh $(APT_TEST) $(APT_IMPORT) $(APT_WEB)
	$(DEV) $(BIN)/python manage.py compilemessages -v 0 --ignore=.venv
	$(BIN)/python -m pytest
	@scripts/test-postgres.sh $(BIN)/python

bench: $(STAMP) fonts
	@scripts/ensure-apt.sh $(APT_TEST)
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/documents.py
	$(BIN)/python bench/importer.py

# The dedicated fuzz run of the importer's text-to-structure stage (the suite runs 300 examples).
fuzz: $(STAMP)
	PRONGSAI_FUZZ_EXAMPLES=10000 $(BIN)/python -m pytest tests/test_importer_fuzz.py -q --hypothesis-show-statistics

# Sample documents (DOCX, PDF, page images) kept under docs/samples/.
samples: $(STAMP) fonts
	@scripts/ensure-apt.sh poppler-utils libreoffice-writer-nogui
	$(BIN)/python scripts/make_samples.py

schema: $(STAMP)
	$(BIN)/python -c "from prongsai.interchange.schema import write_schema; write_schema()"

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .hypothesis *.egg-info
