"""Publish the app's read-only copy of the built warehouse, swapped in atomically.

The copy holds only what the app reads: a table per allow-listed mart (APP_TABLES), created with
`create table as select` from the warehouse attached read-only. Tables only: a view would name the warehouse's
catalog (`crm`), which does not exist in the copy. The app reads only this file, so it keeps serving the last
good data during a rebuild and picks up the new file on its next query.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import duckdb

DEFAULT_SOURCE = Path("warehouse/crm.duckdb")
DEFAULT_TARGET = Path("warehouse/crm_app.duckdb")
# A table every complete build has: a copy without it is not published.
SENTINEL_TABLE = "kpi_overview"
# The marts the app may read (schema main), and nothing else is published.
APP_TABLES: frozenset[str] = frozenset(
    {
        "kpi_overview",
        "warehouse_build_info",
        "customer_segments",
        "customer_value_model_parameters",
        "segment_summary",
        "pareto_curve",
        "customer_profitability",
        "acquisition_cost",
        "revenue_monthly",
        "lead_funnel",
        "opportunity_funnel",
        "win_rates",
        "sales_cycle",
        "sales_cycle_deals",
        "stage_durations",
        "pipeline",
        "forecast",
        "goal_attainment",
        "rep_scorecard",
        "activity_effectiveness",
        "customer_churn",
        "cohort_retention",
        "revenue_retention",
        "customer_health",
        "at_risk_accounts",
        "support_performance",
        "customer_perception",
        "crm_adoption",
        "crm_adoption_teams",
        "dim_users",
        "dim_accounts",
    }
)


def source_path() -> Path:
    return Path(os.environ.get("CRM_DUCKDB_PATH") or DEFAULT_SOURCE)


def published_path() -> Path:
    return Path(os.environ.get("CRM_APP_DUCKDB") or DEFAULT_TARGET)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def copy_app_tables(source: Path, target: Path) -> list[str]:
    """Create target with one table per allow-listed mart found in source's main schema; the names copied."""
    # The source is attached under its own catalog name (crm for crm.duckdb): its views, if any, name it.
    name = source.name.split(".")[0]
    catalog_name = name if name not in ("memory", "system", "temp", "app_copy") else "source_warehouse"
    catalog = _quoted(catalog_name)
    with duckdb.connect() as con:
        con.execute(f"attach {_sql_text(str(source))} as {catalog} (read_only)")
        con.execute(f"attach {_sql_text(str(target))} as app_copy")
        found = [
            table
            for (table,) in con.execute(
                "select table_name from information_schema.tables where table_catalog = ? and table_schema = 'main'"
                " order by table_name",
                [catalog_name],
            ).fetchall()
            if table in APP_TABLES
        ]
        if SENTINEL_TABLE not in found:
            raise RuntimeError(f"warehouse {source} has no main.{SENTINEL_TABLE}: the build is incomplete")
        for table in found:
            con.execute(f"create table app_copy.main.{_quoted(table)} as select * from {catalog}.main.{_quoted(table)}")
        con.execute("detach app_copy")
    return found


def publish(source: Path, target: Path) -> Path:
    """Write the allow-listed marts of `source` to a temp file next to `target`, then os.replace it."""
    if not source.is_file():
        raise FileNotFoundError(f"warehouse {source} does not exist: run `make build` first")
    if Path(f"{source}.wal").exists():
        # A write-ahead log means a writer is still open (or crashed): the file alone is not a consistent copy.
        raise RuntimeError(f"warehouse {source} has a pending write-ahead log ({source}.wal): is dbt still running?")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent)) / target.name
    try:
        copy_app_tables(source, tmp)
        tmp.chmod(0o444)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}.wal").unlink(missing_ok=True)
        tmp.parent.rmdir()
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source", type=Path, default=None, help="built warehouse (default: $CRM_DUCKDB_PATH)")
    parser.add_argument("--target", type=Path, default=None, help="published copy (default: $CRM_APP_DUCKDB)")
    args = parser.parse_args(argv)
    try:
        target = publish(args.source or source_path(), args.target or published_path())
    except (FileNotFoundError, RuntimeError) as exc:
        print(f"publish: {exc}", file=sys.stderr)
        return 1
    print(f"Published the app's read-only warehouse: {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
