# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
SAMPLE := corpora/sample

.PHONY: install system-deps run lint test bench bench-instructions bench-corpus eval sample forms clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev,dask]'
	touch $(STAMP)

install: $(STAMP)

# Debian's chromium (the report's browser test) and a CJK font (Chinese in the
# notebooks' plots). Best effort: without them those tests skip or the plots
# fall back to category keys, saying so.
SYSTEM_PACKAGES := chromium fonts-noto-cjk
system-deps:
	@if command -v chromium >/dev/null && fc-list 2>/dev/null | grep -q "CJK"; then :; \
	elif command -v apt-get >/dev/null; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		( $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $(SYSTEM_PACKAGES) ) >/dev/null 2>&1 \
		|| echo "note: could not install $(SYSTEM_PACKAGES); the browser test will skip"; \
		rm -rf $$HOME/.cache/matplotlib; \
	else echo "note: no apt-get; install $(SYSTEM_PACKAGES) yourself for the browser test and CJK plots"; fi

SERIES := corpora/series
DB := build/sample.duckdb

# The main job on the bundled sample corpora: tag them into a DuckDB file
# (fresh each time), then print the summary of recurring problems and checks.
run: install
	mkdir -p build && rm -f $(DB) $(DB).wal
	$(VENV)/bin/textmine tag $(SAMPLE)/reports $(SERIES)/reports --db $(DB)
	$(VENV)/bin/textmine summary $(DB)

# Style and layers first (ruff, import-linter contracts in pyproject.toml).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

test: install system-deps lint
	$(PY) -m pytest -q

# reports/s of `analyze` against one plain jieba.lcut pass (a ratio).
bench: install
	$(PY) bench/bench_analyze.py

# The same ratio in instructions (valgrind): steady where wall clock drifts.
bench-instructions: install
	$(PY) bench/bench_instructions.py

# Tagging 10,000 generated reports: 1 vs 2 workers, Dask, peak memory.
bench-corpus: install
	$(PY) bench/bench_corpus.py

# Scores on the real gold in ../shared (when present), on the sample, and on
# the forms corpus (every form of corpora/forms.md, generated into build/forms).
FORMS := build/forms
eval: install
	@if [ -d ../shared/corpus/gold ]; then \
		$(VENV)/bin/textmine eval ../shared/corpus/gold ../shared/corpus/reports/* ; fi
	$(VENV)/bin/textmine eval $(SAMPLE)/gold $(SAMPLE)/reports/*
	$(PY) -m corpora.forms --out $(FORMS) --n 180 --seed 13
	$(VENV)/bin/textmine eval $(FORMS)/gold $(FORMS)/reports/*
	@# Claims on our own annotated passages: dev, heldout, heldout2 read while tuning; heldout3 never.
	$(VENV)/bin/textmine eval-claims corpora/annotations/claims.jsonl --split dev
	$(VENV)/bin/textmine eval-claims corpora/annotations/claims.jsonl --split heldout
	$(VENV)/bin/textmine eval-claims corpora/annotations/claims.jsonl --split heldout2
	$(VENV)/bin/textmine eval-claims corpora/annotations/claims.jsonl --split heldout3

sample: install
	$(PY) -m corpora.generate --out $(SAMPLE) --n 30 --seed 7

# The forms corpus alone (build/forms): every form of corpora/forms.md, with gold.
forms: install
	$(PY) -m corpora.forms --out $(FORMS) --n 180 --seed 13

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build
