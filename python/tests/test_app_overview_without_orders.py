"""AppTest of the Overview on an extract with deals but no orders (orders.csv and order_items.csv header-only):
the KPI months come from the deals, tickets and subscriptions, deal KPIs are shown and the revenue KPIs read
"no data", never $0."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from app_helpers import serving
from as_of_helpers import AS_OF, NO_TESTS, extract_ending_on_end_day
from dbt_helpers import assert_ok, run_dbt
from streamlit.testing.v1 import AppTest

from crm_warehouse.publish import publish

SHOWN_MONTH = dt.date(2017, 6, 1)  # the default range ends before the as-of month (July 2017, in progress)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    work = tmp_path_factory.mktemp("overview_without_orders")
    extract = extract_ending_on_end_day(work / "extract", without_orders=True)
    assert_ok(run_dbt(work, extract, "build", *NO_TESTS, database=work / "crm.duckdb"))
    published = publish(work / "crm.duckdb", work / "crm_app.duckdb", work / "target" / "semantic_manifest.json")
    with serving(published) as served:
        yield served


def kpi_row(path: Path, month: dt.date) -> dict[str, object]:
    with duckdb.connect(str(path), read_only=True) as connection:
        cursor = connection.execute("select * from main.kpi_overview where month_start = ?", [month])
        names = [d[0] for d in cursor.description]
        row = cursor.fetchone()
    assert row is not None, f"no KPI month {month}"
    return dict(zip(names, row, strict=True))


def metric_value(at: AppTest, label: str) -> str:
    (found,) = [m for m in at.metric if m.label == label]
    return found.value


def test_kpi_months_come_from_deals_without_orders(warehouse: Path) -> None:
    # The fact tables are in the warehouse only: the app copy holds just the marts the app reads.
    with duckdb.connect(str(warehouse.parent / "crm.duckdb"), read_only=True) as connection:
        (orders,) = connection.execute("select count(*) from main.fct_orders").fetchone()
        months, last, revenue_months = connection.execute(
            "select count(*), max(month_start), count(revenue_usd) + count(net_new_revenue_usd) from main.kpi_overview"
        ).fetchone()
        (won_in_june,) = connection.execute(
            "select count(*) from main.fct_opportunities where is_won and date_trunc('month', close_date) = ?",
            [SHOWN_MONTH],
        ).fetchone()
    assert orders == 0
    assert months >= 12 and last == AS_OF.replace(day=1)
    assert revenue_months == 0  # no order data: revenue is null in every month, never 0
    assert kpi_row(warehouse, SHOWN_MONTH)["won_deals"] == won_in_june > 0


def test_overview_shows_deal_kpis_and_no_data_for_revenue(warehouse: Path) -> None:
    at = AppTest.from_string("from crm_warehouse.app.main import run\nrun('overview')", default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(f"Month {SHOWN_MONTH:%B %Y}" in caption.value for caption in at.caption)
    row = kpi_row(warehouse, SHOWN_MONTH)
    win_rate, pipeline, cycle = row["win_rate"], row["open_pipeline_usd"], row["median_sales_cycle_days"]
    assert None not in (win_rate, pipeline, cycle)
    assert metric_value(at, "Win rate") == f"{float(win_rate) * 100:.1f}%"
    pipeline_usd = float(pipeline)
    assert metric_value(at, "Open pipeline") == (
        f"${pipeline_usd / 1e6:,.2f}M" if pipeline_usd >= 1e6 else f"${pipeline_usd:,.0f}"
    )
    assert metric_value(at, "Median sales cycle") == f"{float(cycle):.1f} d"
    assert metric_value(at, "Revenue") == "no data"
    assert metric_value(at, "Net new revenue") == "no data"
