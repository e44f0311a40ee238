# powderkeg — run `make help` for the targets.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# the default database, so that the README's commands read the demo after `make demo`
DEMO_DB ?= powderkeg.duckdb
SHARED ?= ../shared

.DEFAULT_GOAL := help

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(BIN)/powderkeg: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.dev: $(BIN)/powderkeg
	$(PY) -m pip install --quiet -e '.[dev,spark]'
	@touch $@

install: $(BIN)/powderkeg ## create .venv and install powderkeg

demo: $(BIN)/powderkeg ## code the bundled demo corpus into powderkeg.duckdb and print what it found
	@$(PY) -m powderkeg.demo $(DEMO_DB)
	$(BIN)/powderkeg run powderkeg/demo/corpus --db $(DEMO_DB)
	$(BIN)/powderkeg events --db $(DEMO_DB)
	$(BIN)/powderkeg tension SRB XKX --since 2023-01-01 --top 2 --db $(DEMO_DB)
	$(BIN)/powderkeg alerts --db $(DEMO_DB)

test: $(VENV)/.dev browser java ## install dev dependencies, chromium and Java; lint, type-check, check the layers, run every test (slow ones too)
	$(BIN)/ruff check powderkeg tests bench
	$(BIN)/ruff format --check powderkeg tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest -q

# The dashboard's tests drive Debian's chromium headless (a browser download by a tool does not work here).
browser: ## install Debian's chromium for the dashboard tests when it is missing (needs root or sudo)
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  ( $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null ) \
	  || { [ -z "$$CI" ] && echo "chromium not installed: the dashboard tests will be skipped"; } ; }

# The Spark backfill tests run pyspark in local mode, which needs a Java runtime: Debian's, never a download.
java: ## install Debian's Java runtime for the Spark tests when it is missing (needs root or sudo)
	@command -v java >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  ( $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq default-jre-headless >/dev/null ) \
	  || { [ -z "$$CI" ] && echo "java not installed: the Spark tests will be skipped"; } ; }

serve: $(BIN)/powderkeg ## serve the demo store's API and dashboard on http://127.0.0.1:8000/ (after make demo)
	$(BIN)/powderkeg serve --db $(DEMO_DB)

load: $(BIN)/powderkeg ## 50 clients for 60 s against the API over a synthetic store of 200,000 events
	$(PY) bench/api_load.py

vendor: $(BIN)/powderkeg ## check the dashboard's vendored files against their npm packages (needs npm)
	$(PY) -m powderkeg.web.vendor

eval: $(BIN)/powderkeg ## score the coder on every dev set in ../shared/eval (writes eval-report.json)
	$(PY) -m powderkeg.eval.suite $(SHARED)/eval eval-report.json

train: $(BIN)/powderkeg ## rebuild the event-type model (powderkeg/learned/data) from its corpus and ../shared/eval, fixed seed
	$(PY) -m powderkeg.eval.learned --eval-dir $(SHARED)/eval

bench: $(BIN)/powderkeg ## throughput of `powderkeg run` against bare spaCy; fusion precision and recall; brief time
	$(PY) bench/throughput.py
	$(PY) bench/fusion.py
	$(PY) bench/fusion.py bench/data/fusion_heldout.jsonl
	$(PY) bench/brief.py

fuzz: $(VENV)/.dev ## the fuzz test over a corpus 5x as big, with a 170,000-character article (FUZZ_SEED=n for another)
	FUZZ_SCALE=5 FUZZ_LONG=400 FUZZ_SEED=$${FUZZ_SEED:-16} $(BIN)/pytest -q tests/test_fuzz.py

memory: $(BIN)/powderkeg ## peak memory of `powderkeg run` on a 200,000-character article and on 1 GiB files
	$(PY) bench/memory.py

latency: $(BIN)/powderkeg ## seconds from a feed item's publication to its stored events (takes ~5 min)
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) bench/latency.py

cameo: $(BIN)/powderkeg ## regenerate knowledge/data/cameo_verbs.toml from the CAMEO verb dictionary in ../shared
	$(PY) -m powderkeg.knowledge.cameo_import $(SHARED)/eval/petrarch2/CAMEO.2.0.txt \
		$(SHARED)/eval/plover/CAMEO2PLOVER-2021.txt powderkeg/knowledge/data/cameo_verbs.toml

clean: ## remove the venv, the demo's database (not one with other articles) and caches
	-@[ ! -x $(PY) ] || $(PY) -m powderkeg.demo $(DEMO_DB)
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info

.PHONY: help install demo test browser java eval train bench latency serve load vendor cameo clean
