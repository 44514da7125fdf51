# Two entry points a fresh machine needs (Python 3.11 and make): `make build` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DBT_PROFILES_DIR := $(CURDIR)
export DBT_PROJECT_DIR := $(CURDIR)
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
WAREHOUSE ?= $(or $(CRM_DUCKDB_PATH),warehouse/crm.duckdb)
export CRM_DUCKDB_PATH := $(abspath $(WAREHOUSE))
# The app reads only this read-only copy, which every build publishes (copied, then swapped in atomically), so the
# app keeps serving the last good data while dbt rewrites the warehouse.
export CRM_APP_DUCKDB := $(abspath $(or $(CRM_APP_DUCKDB),$(dir $(CRM_DUCKDB_PATH))crm_app.duckdb))
APP_PORT ?= 8501

# Your own extract instead of the demo seeds: make build CRM_RAW_DIR=path/to/extract [CRM_RAW_FORMAT=parquet]
# [CRM_MAPPING=path/to/mapping.yml]; a Salesforce or HubSpot export: CRM_SOURCE=salesforce|hubspot
# [CRM_SOURCE_FILE_PATTERN=sf_{table}_data, detected when unset]. Relative paths are made absolute (against the project
# root), so the staging views still find the files when the warehouse is queried from another working directory.
ifneq ($(strip $(CRM_RAW_DIR)),)
override CRM_RAW_DIR := $(if $(findstring ://,$(CRM_RAW_DIR)),$(CRM_RAW_DIR),$(abspath $(CRM_RAW_DIR)))
export CRM_RAW_DIR
endif
ifneq ($(strip $(CRM_MAPPING)),)
override CRM_MAPPING := $(abspath $(CRM_MAPPING))
export CRM_MAPPING
endif
# dbt vars for the build, YAML: make build VARS='{as_of_date: 2017-12-31, quarantine_error_share: 0.2}'.
# Shortcuts (VARS wins): CRM_AS_OF_DATE, CRM_QUARANTINE_ERROR_SHARE, CRM_QUARANTINE_WARN_SHARE.
VARS ?=
# Exported only when set: an empty CRM_RAW_FORMAT in the environment would reach dbt's env_var() as ''.
$(foreach v,CRM_RAW_FORMAT CRM_SOURCE CRM_SOURCE_FILE_PATTERN CRM_SOURCE_DATABASE CRM_SOURCE_SCHEMA CRM_AS_OF_DATE CRM_QUARANTINE_ERROR_SHARE CRM_QUARANTINE_WARN_SHARE,\
	$(if $(strip $($(v))),$(eval export $(v))))

.PHONY: bench-app setup build test bench dbt-build unit-tests pytest validate semantic metrics lint format clean demo-seeds app browser

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

## build: set up, map (CRM_MAPPING), check and build the warehouse from the demo extract (or CRM_RAW_DIR), print a
## data-quality summary per entity, publish the app's copy, print where both are
build: $(STAMP) dbt-build

# The build driver (python/crm_warehouse/build/): pre-flight, dbt build with VARS, summary, gate messages, publish.
dbt-build: $(STAMP)
	$(BIN)/python -m crm_warehouse.build --vars '$(subst ','"'"',$(VARS))'

## test: set up, build, run every test and lint
test: $(STAMP) dbt-build unit-tests validate semantic browser pytest lint
	@echo "All checks passed."

## unit-tests: dbt unit tests of every metric formula (hand-computed fixtures); builds leave them out
unit-tests: $(STAMP)
	$(BIN)/dbt test --select test_type:unit --quiet

## semantic: mf validate-configs: the semantic layer's specs (models/semantic/) and its queries against the built
## warehouse (~10 s after a build). dbt parse first writes target/semantic_manifest.json, which mf reads.
PARSE_VARS = $(if $(strip $(VARS)),--vars '$(subst ','"'"',$(VARS))')
semantic: $(STAMP)
	$(BIN)/dbt parse --quiet $(PARSE_VARS)
	$(BIN)/mf validate-configs

## metrics: query a metric by name through the semantic layer (MetricFlow) on the built warehouse:
## make metrics Q='--metrics win_rate --group-by metric_time__month,account__tier'; list: make metrics MF='list metrics'
## VARS as for the build (e.g. VARS='{ces_higher_is_easier: true}'), so metrics read the vars the marts were built with.
Q ?= --metrics revenue,win_rate --group-by metric_time__month --order -metric_time__month --limit 12
MF ?= query $(Q)
metrics: $(STAMP)
	@$(BIN)/dbt parse --quiet $(PARSE_VARS)
	@$(BIN)/mf $(MF)

## bench: generate extracts at scales 1, 10 and 100 (Parquet; CSV at 10), build, append 1% and rebuild, time the
## app's queries, beside DuckDB alone and a pandas script; the table for BENCHMARKS.md. BENCH_ARGS='--scales 1'
## Then the CLV fit + score of 1M simulated customers (CLV_BENCH_ARGS='--customers 100000').
BENCH_ARGS ?=
CLV_BENCH_ARGS ?=
bench: $(STAMP)
	$(BIN)/python -m crm_warehouse.benchmarks.warehouse_bench $(BENCH_ARGS)
	$(BIN)/python -m crm_warehouse.benchmarks.clv_bench $(CLV_BENCH_ARGS)

## bench-app: p50 / p95 of every query the app's pages run, on the published demo copy (after make build)
bench-app: $(STAMP)
	$(BIN)/python -m crm_warehouse.benchmarks.app_queries

## validate: Great Expectations suites over the built marts; Data Docs in reports/data_docs/index.html
validate: $(STAMP)
	$(BIN)/python -m crm_warehouse.validate

## app: serve the Streamlit app on http://localhost:$(APP_PORT) (builds the warehouse first when it was never built)
app: $(STAMP)
	@test -f "$(CRM_APP_DUCKDB)" || $(MAKE) --no-print-directory dbt-build
	$(BIN)/streamlit run python/crm_warehouse/app/streamlit_app.py --server.address localhost \
		--server.port $(APP_PORT) --server.headless true --browser.gatherUsageStats false

## browser: headless Chromium and its driver (Debian packages) for the app's browser test
browser:
	@test -x /usr/bin/chromium -a -x /usr/bin/chromedriver || \
		(apt-get update -qq && apt-get install -y -qq chromium chromium-driver)

pytest: $(STAMP)
	$(BIN)/pytest -q -n 2 --dist loadfile

# The Salesforce and HubSpot models are enabled only when CRM_SOURCE selects them (the first pass skips them as
# disabled): each is linted in a pass of its own, compiled against its shared sample export.
LINT_SOURCE = env -u CRM_SOURCE_DATABASE -u CRM_SOURCE_SCHEMA CRM_RAW_FORMAT=csv
lint: $(STAMP)
	$(BIN)/ruff check python
	$(BIN)/ruff format --check python
	$(BIN)/sqlfluff lint --processes 2 models macros tests analyses
	$(LINT_SOURCE) CRM_SOURCE=salesforce CRM_RAW_DIR=$(CURDIR)/samples/salesforce_fivetran \
		CRM_SOURCE_FILE_PATTERN='sf_{table}_data' $(BIN)/sqlfluff lint --processes 2 models/staging/salesforce \
		models/intermediate/salesforce
	$(LINT_SOURCE) CRM_SOURCE=hubspot CRM_RAW_DIR=$(CURDIR)/samples/hubspot_fivetran \
		CRM_SOURCE_FILE_PATTERN='hs_{table}_data' $(BIN)/sqlfluff lint --processes 2 models/staging/hubspot \
		models/intermediate/hubspot

format: $(STAMP)
	$(BIN)/ruff format python
	$(BIN)/ruff check --fix python
	$(BIN)/sqlfluff fix models macros tests analyses

## demo-seeds: regenerate the checked-in demo extract
demo-seeds: $(STAMP)
	$(BIN)/python -m crm_warehouse.generate --scale demo --seed 42 --out seeds/demo --format csv
	$(BIN)/python -m crm_warehouse.generate.seeds_yaml seeds/demo/_demo__seeds.yml

clean:
	rm -rf target logs warehouse dbt_packages
