"""The full expectation list of each mart: dbt tests, naming conventions, and relations to the facts."""

from __future__ import annotations

import datetime as dt

import duckdb

from crm_warehouse.validate.conventions import range_expectation
from crm_warehouse.validate.expectations import Expect
from crm_warehouse.validate.manifest import Mart

MONTH_COLUMN = "month_start"
# Marts whose row count follows exactly from the facts they are built from (the grain documented on the mart).
ROW_COUNT_RELATIONS = {
    "customer_profitability": 'select count(*) from "{schema}".dim_accounts',
    "customer_segments": "select count(distinct account_id) from \"{schema}\".fct_orders where status = 'completed'",
    "sales_cycle_deals": 'select count(*) from "{schema}".fct_opportunities where is_won',
    "customer_360": 'select count(*) from "{schema}".dim_accounts',
    "customer_journey_won_deals": (
        'select count(*) from "{schema}".fct_opportunities where is_won and account_id is not null'
    ),
}
# The latest month a monthly mart must reach: the month of the newest order, less this many months.
FRESHNESS_TOLERANCE_MONTHS = 1


def _months_before(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def latest_data_month(con: duckdb.DuckDBPyConnection, schema: str) -> dt.date | None:
    """First day of the month of the newest completed order (the warehouse's 'now')."""
    row = con.execute(f'select max(order_date) from "{schema}"."fct_orders"').fetchone()
    if row is None or row[0] is None:
        return None
    return row[0].replace(day=1)


def as_of_month(con: duckdb.DuckDBPyConnection, schema: str) -> dt.date | None:
    """First day of the as-of month (int_extract_as_of_date: the warehouse's 'today'), None when not built."""
    try:
        row = con.execute(f'select as_of_date from "{schema}_intermediate"."int_extract_as_of_date"').fetchone()
    except duckdb.CatalogException:
        return None
    if row is None or row[0] is None:
        return None
    return row[0].replace(day=1)


def expected_row_counts(con: duckdb.DuckDBPyConnection, schema: str) -> dict[str, int]:
    """The exact row count each mart of ROW_COUNT_RELATIONS must have, computed from its facts."""
    counts = {}
    for mart, query in ROW_COUNT_RELATIONS.items():
        try:
            row = con.execute(query.format(schema=schema)).fetchone()
        except duckdb.CatalogException:
            continue  # a warehouse without that fact has no such mart to check either
        counts[mart] = int(row[0]) if row else 0
    return counts


def row_count(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> int:
    row = con.execute(f'select count(*) from "{schema}"."{table}"').fetchone()
    return int(row[0]) if row else 0


def suite_for(
    mart: Mart,
    present_columns: list[str],
    parent_rows: dict[str, int],
    newest_month: dt.date | None,
    expected_rows: int | None = None,
    last_month: dt.date | None = None,
) -> list[Expect]:
    """Every expectation for one mart, given its columns as built and the size of its core parents; last_month: the
    as-of month, after which no month_start may lie."""
    expectations = [e for e in mart.expectations if _columns_present(e, present_columns)]
    for column in present_columns:
        expectation = range_expectation(column, mart.columns.get(column, {}))
        if expectation is not None:
            expectations.append(expectation)
    if expected_rows is not None:
        expectations.append(
            Expect("ExpectTableRowCountToEqual", {"value": expected_rows}, "row count follows from its facts")
        )
    if MONTH_COLUMN in present_columns and last_month is not None:
        expectations.append(
            Expect(
                "ExpectColumnMaxToBeBetween",
                {"column": MONTH_COLUMN, "max_value": last_month.isoformat()},
                f"no month after the as-of month {last_month:%Y-%m}",
            )
        )
    is_core = mart.name.startswith(("fct_", "dim_"))
    parents_filled = bool(mart.core_parents) and all(parent_rows.get(p, 0) > 0 for p in mart.core_parents)
    if not is_core and parents_filled:
        expectations.append(
            Expect("ExpectTableRowCountToBeBetween", {"min_value": 1}, "non-empty when its facts have rows")
        )
        if MONTH_COLUMN in present_columns and newest_month is not None:
            oldest_allowed = _months_before(newest_month, FRESHNESS_TOLERANCE_MONTHS)
            expectations.append(
                Expect(
                    "ExpectColumnMaxToBeBetween",
                    {"column": MONTH_COLUMN, "min_value": oldest_allowed.isoformat()},
                    f"freshness: reaches {oldest_allowed:%Y-%m} (newest order month less {FRESHNESS_TOLERANCE_MONTHS})",
                )
            )
    return expectations


def _columns_present(expectation: Expect, present: list[str]) -> bool:
    wanted = expectation.kwargs.get("column_list") or [expectation.column]
    return all(c is None or c in present for c in wanted)
