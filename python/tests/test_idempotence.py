"""Rebuilding changes nothing, and loading new rows incrementally gives what a full rebuild gives.

1. `dbt build` twice over the same extract: every core and mart table (schema main) has the same contents.
2. The extract as it stood at CUTOFF (activities that had occurred, orders last updated before it) is built,
   then the full extract (those rows plus the new and changed ones) is built incrementally on top; a build
   of the full extract from scratch into another DuckDB file must hold exactly the same fct_activities,
   fct_orders and fct_order_items.

The from-scratch build is made once (fixture full_build): it is the first of the two builds of 1 and the reference
of 2 (a build into an empty DuckDB file is what --full-refresh gives: no incremental model has a table to merge
into, so each is created from all its rows).
All runs share one target directory (dbt's partial parse keeps repeated runs quick) and pin as_of_date to the full
extract's derived one (the day after its latest event), so the early and the full extract share one "today".
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from dbt_helpers import assert_ok, row_counts, run_dbt, table_mismatches, tables_in

from crm_warehouse.generate import generate

SCALE = "0.05"
SEED = 11
CUTOFF = "2026-08-01"
DBT_VARS = {"as_of_date": "2026-11-01"}
# Models and the snapshot only: tests do not change data (they have their own suites), seeds are unused (the
# extract is read from files).
NO_TESTS = ["--exclude-resource-type", "test", "unit_test", "seed"]
INCREMENTAL_FACTS = ("fct_activities", "fct_orders", "fct_order_items")
INCREMENTAL_SELECTION = ["--select", *(f"+{fact}" for fact in INCREMENTAL_FACTS)]


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("idempotence")


@pytest.fixture(scope="module")
def full_extract(work: Path) -> Path:
    extract = work / "full"
    generate(extract, SCALE, seed=SEED, fmt="csv")
    return extract


@pytest.fixture(scope="module")
def early_extract(work: Path, full_extract: Path) -> Path:
    """The full extract as it stood at CUTOFF: activities and orders (with their lines) are cut on the column
    their incremental facts load by, so every row of the full extract beyond it is new to the warehouse; a few
    older rows are held back as well, arriving late under dates the lookback window does not reach."""
    extract = work / "early"
    extract.mkdir()
    kept = {
        "orders": f"updated_at < '{CUTOFF}'",
        # ... and about one line in 20 of the orders kept is held back too: in the full extract it is a line
        # added to an order whose updated_at did not move (incremental facts must still pick it up).
        "order_items": (
            "order_id in (select order_id from read_csv('{full}/orders.csv', all_varchar = true)"
            f" where updated_at < '{CUTOFF}') and hash(order_item_id) % 20 <> 0"
        ),
        # ... and about one activity in 20 before the cutoff: in the full extract it was logged late (back-dated).
        "activities": f"occurred_at < '{CUTOFF}' and hash(activity_id) % 20 <> 0",
    }
    with duckdb.connect() as connection:
        for source in full_extract.glob("*.csv"):
            condition = kept.get(source.stem, "true").format(full=full_extract)
            connection.execute(
                f"copy (select * from read_csv('{source}', all_varchar = true) where {condition})"
                f" to '{extract / source.name}' (header)"
            )
        appended = connection.execute(
            f"select count(*) from read_csv('{full_extract}/activities.csv', all_varchar = true)"
            f" where not ({kept['activities']})"
        ).fetchone()[0]
    assert appended > 0, "the cutoff must leave activities to append"
    return extract


@pytest.fixture(scope="module")
def full_build(work: Path, full_extract: Path) -> Path:
    """The full extract built from scratch (an empty DuckDB file): twice.duckdb, which test 1 builds again, and
    first_build.duckdb, a copy kept as it was (the reference of both tests; never written again)."""
    database = work / "twice.duckdb"
    first_build = work / "first_build.duckdb"
    assert not database.exists()
    assert_ok(run_dbt(work, full_extract, "build", *NO_TESTS, database=database, dbt_vars=DBT_VARS))
    shutil.copy(database, first_build)
    return first_build


def test_building_twice_gives_identical_tables(work: Path, full_extract: Path, full_build: Path) -> None:
    database = work / "twice.duckdb"
    first_build = full_build
    tables = tables_in(first_build)
    assert {"dim_accounts", "fct_opportunities", *INCREMENTAL_FACTS} <= set(tables)
    assert all(
        n > 0 for n in row_counts(first_build, ["dim_accounts", "fct_opportunities", *INCREMENTAL_FACTS]).values()
    )

    assert_ok(run_dbt(work, full_extract, "build", *NO_TESTS, database=database, dbt_vars=DBT_VARS))
    assert tables_in(database) == tables
    # warehouse_build_info records when each build ran: its as-of date must agree, its built_at must move on.
    compared = [table for table in tables if table != "warehouse_build_info"]
    differing = {table: n for table, n in table_mismatches(first_build, database, compared).items() if n}
    assert differing == {}
    build_info = "select as_of_date, built_at from main.warehouse_build_info"
    with (
        duckdb.connect(str(first_build), read_only=True) as first,
        duckdb.connect(str(database), read_only=True) as again,
    ):
        ((first_as_of, first_built),) = first.execute(build_info).fetchall()
        ((as_of, built),) = again.execute(build_info).fetchall()
    assert as_of == first_as_of and built > first_built


def test_incremental_load_of_new_rows_equals_a_full_refresh(
    work: Path, full_extract: Path, early_extract: Path, full_build: Path
) -> None:
    incremental = work / "incremental.duckdb"
    # The full extract built from scratch (the same models, vars and extract as the incremental selection's
    # --full-refresh: the facts depend only on what they select).
    rebuilt = full_build
    build = ["build", *INCREMENTAL_SELECTION, *NO_TESTS]
    facts = list(INCREMENTAL_FACTS)

    assert_ok(run_dbt(work, early_extract, *build, database=incremental, dbt_vars=DBT_VARS))
    before = row_counts(incremental, facts)
    assert_ok(run_dbt(work, full_extract, *build, database=incremental, dbt_vars=DBT_VARS))
    # The second run must have merged into the existing tables, not rebuilt them.
    run_sql = work / "target" / "run" / "crm_warehouse" / "models" / "marts" / "core" / "fct_activities.sql"
    assert "insert into" in run_sql.read_text().lower()
    after = row_counts(incremental, facts)
    assert all(after[fact] > before[fact] for fact in facts), (before, after)

    assert row_counts(rebuilt, facts) == after
    assert table_mismatches(incremental, rebuilt, facts) == dict.fromkeys(facts, 0)
