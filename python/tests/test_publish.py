"""The app copy (issue 10, item 18): only base tables, only the allow-listed marts, readable on its own."""

from __future__ import annotations

from pathlib import Path

import duckdb
from dbt_helpers import project_manifest

from crm_warehouse.app.queries import MARTS
from crm_warehouse.publish import publish
from crm_warehouse.semantic.compile import semantic_tables


def tiny_warehouse(path: Path, manifest: Path) -> Path:
    """A warehouse named crm.duckdb (catalog crm) with marts, a mart that is a view, a raw table and views, and a
    one-row stand-in for each table the semantic layer reads, in its schema."""
    with duckdb.connect(str(path)) as con:
        for table, schema in semantic_tables(manifest).items():
            con.execute(f'create schema if not exists "{schema}"')
            con.execute(f'create table "{schema}"."{table}" as select 1 as stand_in')
        con.execute("create table main.kpi_overview as select range as month, range * 10 as revenue from range(3)")
        # An allow-listed mart built as a view that names the catalog, as dbt-duckdb writes views.
        con.execute("create view main.pipeline as select month, revenue * 2 as value from crm.main.kpi_overview")
        con.execute("create table main.stg_orders_copy as select 1 as order_id")
        con.execute("create view main.stg_orders as select * from crm.main.stg_orders_copy")
        con.execute("create schema main_raw")
        con.execute("create table main_raw.contacts as select 'ann@example.com' as email")
    return path


def objects(path: Path) -> list[tuple[str, str, str]]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(
            "select table_schema, table_name, table_type from information_schema.tables order by 1, 2"
        ).fetchall()


def test_the_app_copy_holds_only_allow_listed_base_tables(tmp_path: Path) -> None:
    manifest = project_manifest(tmp_path / "parse")
    source = tiny_warehouse(tmp_path / "crm.duckdb", manifest)
    target = publish(source, tmp_path / "crm_app.duckdb", manifest)
    found = objects(target)
    semantic = set(semantic_tables(manifest))
    expected = sorted({"kpi_overview", "pipeline", "app_metric_queries"} | semantic)
    assert found == [("main", name, "BASE TABLE") for name in expected]
    # Only allow-listed marts, the semantic layer's tables (all in main) and the compiled metric queries.
    assert all(name in MARTS or name in semantic or name == "app_metric_queries" for _, name, _ in found)
    # Readable without the warehouse's catalog: no view names `crm`.
    with duckdb.connect(str(target), read_only=True) as con:
        assert con.execute("select sum(value) from main.pipeline").fetchone() == (60,)
        assert con.execute("select * from main.kpi_overview order by month").fetchall() == [(0, 0), (1, 10), (2, 20)]
        assert con.execute("select count(*) from duckdb_views() where not internal").fetchone() == (0,)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "parse") == ["crm.duckdb", "crm_app.duckdb"]


def test_the_app_reads_the_same_allow_list_that_is_published() -> None:
    from crm_warehouse.publish import APP_TABLES

    assert MARTS is APP_TABLES
