"""Publish the app's read-only copy of the built warehouse, swapped in atomically.

The copy holds only what the app reads: a table per allow-listed mart (APP_TABLES) and per relation the semantic
layer reads (in schema main), created with `create table as select` from the warehouse attached read-only, and
table app_metric_queries: the app's metric queries compiled by MetricFlow from this build's semantic manifest.
Tables only: a view would name the warehouse's
catalog (`crm`), which does not exist in the copy. The app reads only this file, so it keeps serving the last
good data during a rebuild and picks up the new file on its next query.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

import duckdb

from crm_warehouse import PROJECT_ROOT
from crm_warehouse.semantic.compile import CompiledQuery, cached_compile, semantic_tables

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
        "rep_workspace",
        "forecast_simulation",
        "forecast_simulation_backtest",
        "revenue_trends",
        "revenue_trends_backtest",
        "feedback_sentiment",
        "feedback_sentiment_by_score",
        "feedback_sentiment_correlation",
        "behaviour_clusters",
        "behaviour_cluster_profiles",
        "churn_drivers",
        "activity_effectiveness",
        "customer_churn",
        "cohort_retention",
        "revenue_retention",
        "customer_health",
        "customer_360",
        "customer_journey",
        "customer_journey_won_deals",
        "customer_journey_paths",
        "at_risk_accounts",
        "support_performance",
        "customer_perception",
        "crm_adoption",
        "crm_adoption_teams",
        "dim_users",
        "dim_accounts",
        "dim_products",
        "fct_opportunities",
        "fct_leads",
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


def default_manifest() -> Path:
    """This project's semantic manifest (dbt writes it on every parse and build)."""
    return Path(os.environ.get("DBT_TARGET_PATH") or PROJECT_ROOT / "target") / "semantic_manifest.json"


def copy_app_tables(source: Path, target: Path, semantic: dict[str, str] | None = None) -> list[str]:
    """Create target with one table per allow-listed mart found in source's main schema, and per `semantic` table
    (name -> its schema in source), all in main; the names copied."""
    semantic = semantic or {}
    # The source is attached under its own catalog name (crm for crm.duckdb): its views, if any, name it.
    name = source.name.split(".")[0]
    catalog_name = name if name not in ("memory", "system", "temp", "app_copy") else "source_warehouse"
    catalog = _quoted(catalog_name)
    with duckdb.connect() as con:
        con.execute(f"attach {_sql_text(str(source))} as {catalog} (read_only)")
        con.execute(f"attach {_sql_text(str(target))} as app_copy")
        found = {
            table: schema
            for (schema, table) in con.execute(
                "select table_schema, table_name from information_schema.tables where table_catalog = ?"
                " order by table_name",
                [catalog_name],
            ).fetchall()
            # A published copy may be republished: its semantic tables are in main.
            if (schema == "main" and (table in APP_TABLES or table in semantic)) or semantic.get(table) == schema
        }
        if SENTINEL_TABLE not in found:
            raise RuntimeError(f"warehouse {source} has no main.{SENTINEL_TABLE}: the build is incomplete")
        missing = sorted(set(semantic) - set(found))
        if missing:
            raise RuntimeError(f"warehouse {source} lacks tables the semantic layer reads: {', '.join(missing)}")
        for table, schema in found.items():
            con.execute(
                f"create table app_copy.main.{_quoted(table)} as"
                f" select * from {catalog}.{_quoted(schema)}.{_quoted(table)}"
            )
        con.execute("detach app_copy")
    return sorted(found)


def write_metric_queries(target: Path, compiled: list[CompiledQuery]) -> None:
    """Table app_metric_queries: one row per compiled query (name, sql, parameters, filters applied / not)."""
    with duckdb.connect(str(target)) as con:
        con.execute(
            "create table app_metric_queries (query_name varchar primary key, sql varchar not null,"
            " parameters varchar[] not null, applied_filters json not null, unavailable_filters json not null)"
        )
        con.executemany(
            "insert into app_metric_queries values (?, ?, ?, ?, ?)",
            [[c.name, c.sql, list(c.parameters), json.dumps(c.applied), json.dumps(c.unavailable)] for c in compiled],
        )


def publish(source: Path, target: Path, manifest: Path | None = None) -> Path:
    """Write the allow-listed marts and the semantic layer's tables of `source`, and the app's metric queries
    compiled from `manifest` (default: the project's target/semantic_manifest.json), to a temp file next to
    `target`, then os.replace it."""
    from crm_warehouse.app.metric_queries import APP_QUERIES

    manifest = manifest or default_manifest()
    if not manifest.is_file():
        raise FileNotFoundError(f"semantic manifest {manifest} does not exist: run `dbt parse` or `make build`")
    if not source.is_file():
        raise FileNotFoundError(f"warehouse {source} does not exist: run `make build` first")
    if Path(f"{source}.wal").exists():
        # A write-ahead log means a writer is still open (or crashed): the file alone is not a consistent copy.
        raise RuntimeError(f"warehouse {source} has a pending write-ahead log ({source}.wal): is dbt still running?")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent)) / target.name
    try:
        copy_app_tables(source, tmp, semantic_tables(manifest))
        write_metric_queries(tmp, cached_compile(manifest, APP_QUERIES, manifest.parent))
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
