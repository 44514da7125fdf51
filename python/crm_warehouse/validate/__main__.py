"""Validate the marts with Great Expectations: `python -m crm_warehouse.validate` after `dbt build`.

Exits non-zero with one line per failed expectation (mart, column, rule, examples) and writes GX Data
Docs (HTML) to --docs (default reports/data_docs/index.html).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import duckdb

from crm_warehouse import PROJECT_ROOT
from crm_warehouse.validate.gx_runner import Failure, GxRunner
from crm_warehouse.validate.manifest import load_marts
from crm_warehouse.validate.suites import as_of_month, expected_row_counts, latest_data_month, row_count, suite_for


def _default_warehouse() -> Path:
    return PROJECT_ROOT / os.environ.get("CRM_DUCKDB_PATH", "warehouse/crm.duckdb")


def _default_manifest() -> Path:
    return PROJECT_ROOT / os.environ.get("DBT_TARGET_PATH", "target") / "manifest.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, default=_default_warehouse())
    parser.add_argument("--manifest", type=Path, default=_default_manifest())
    parser.add_argument("--docs", type=Path, default=PROJECT_ROOT / "reports" / "data_docs")
    parser.add_argument("--include-core", action="store_true", help="also validate the core dims and facts")
    args = parser.parse_args(argv)

    for path, hint in ((args.warehouse, "run `make build`"), (args.manifest, "run `dbt build` or `dbt parse`")):
        if not path.exists():
            print(f"validate: {path} does not exist ({hint})", file=sys.stderr)
            return 2

    marts = load_marts(args.manifest)
    if not args.include_core:
        marts = {name: m for name, m in marts.items() if not name.startswith(("fct_", "dim_"))}
    failures: list[Failure] = []
    with duckdb.connect(str(args.warehouse), read_only=True) as con:
        schema = next(iter(marts.values())).schema if marts else "main"
        core_tables = sorted(set().union(*(m.core_parents for m in marts.values())))
        parent_rows = {table: row_count(con, schema, table) for table in core_tables}
        newest_month = latest_data_month(con, schema)
        exact_rows = expected_row_counts(con, schema)
        last_month = as_of_month(con, schema)
        runner = GxRunner(args.docs)
        for mart in marts.values():
            frame = con.execute(f"select * from {mart.relation}").fetch_arrow_table().to_pandas()
            columns = list(frame.columns)
            expectations = suite_for(
                mart, columns, parent_rows, newest_month, exact_rows.get(mart.name), last_month=last_month
            )
            failures.extend(runner.validate(mart.name, frame, expectations))
        runner.build_docs()

    index = args.docs / "index.html"
    if failures:
        print(f"validate: {len(failures)} expectation(s) failed over {len(marts)} marts:", file=sys.stderr)
        for failure in failures:
            print(f"  FAIL {failure}", file=sys.stderr)
        print(f"Data Docs: {index}", file=sys.stderr)
        return 1
    print(f"validate: {len(marts)} marts passed every expectation. Data Docs: {index}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
