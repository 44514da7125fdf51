"""An extract with orders but no order lines, declared absent (var crm_absent_entities: [order_items]): the models
build, the orders are kept and counted, and every revenue figure is null (unknown), never 0; the app's pages
open and the Overview's revenue tiles read "no data"."""

from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from as_of_helpers import NO_TESTS
from dbt_helpers import assert_ok, run_dbt
from streamlit.testing.v1 import AppTest

from crm_warehouse import PROJECT_ROOT
from crm_warehouse.app.main import PAGES
from crm_warehouse.publish import publish

DEMO = PROJECT_ROOT / "seeds" / "demo"


def completed_orders_by_account() -> dict[str, int]:
    """Counted from the demo's orders.csv, independently of the warehouse."""
    counts: dict[str, int] = {}
    with (DEMO / "orders.csv").open(encoding="utf-8", newline="") as orders:
        for row in csv.DictReader(orders):
            if row["status"] == "completed":
                counts[row["account_id"]] = counts.get(row["account_id"], 0) + 1
    return counts


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    work = tmp_path_factory.mktemp("order_lines_absent")
    extract = work / "extract"
    shutil.copytree(DEMO, extract, ignore=shutil.ignore_patterns("*.yml"))
    header = (extract / "order_items.csv").read_text(encoding="utf-8").splitlines()[0]
    (extract / "order_items.csv").write_text(header + "\n", encoding="utf-8")
    # Models with their enforced contracts (the not-null constraints the nulls would break); data tests are left to
    # the demo builds, to keep make test short.
    result = run_dbt(work, extract, "build", *NO_TESTS, dbt_vars={"crm_absent_entities": ["order_items"]})
    assert_ok(result)
    published = publish(work / "crm.duckdb", work / "crm_app.duckdb", work / "target" / "semantic_manifest.json")
    previous = os.environ.get("CRM_APP_DUCKDB")
    os.environ["CRM_APP_DUCKDB"] = str(published)
    yield work / "crm.duckdb"
    if previous is None:
        os.environ.pop("CRM_APP_DUCKDB", None)
    else:
        os.environ["CRM_APP_DUCKDB"] = previous


def query(path: Path, sql: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(path), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def test_orders_are_kept_with_unknown_amounts(warehouse: Path) -> None:
    expected = completed_orders_by_account()
    ((orders, with_revenue, with_margin),) = query(
        warehouse,
        "select count(*), count(revenue_usd), count(margin_usd) from main.fct_orders where status = 'completed'",
    )
    assert orders == sum(expected.values()) > 0
    assert with_revenue == with_margin == 0


def test_monthly_and_quarterly_revenue_are_null_not_zero(warehouse: Path) -> None:
    ((months, revenue, streams, orders),) = query(
        warehouse,
        "select count(*), count(revenue_usd), count(net_new_revenue_usd) + count(upsell_revenue_usd),"
        " sum(orders) from main.revenue_monthly",
    )
    assert months > 0 and revenue == streams == 0
    assert orders > 0  # order counts do not need the lines: they stay
    assert query(warehouse, "select count(revenue_usd) from main.revenue_quarterly") == [(0,)]
    assert query(warehouse, "select count(revenue_usd), count(net_new_revenue_usd) from main.kpi_overview") == [(0, 0)]


def test_customer_value_is_null_for_customers_and_zero_without_orders(warehouse: Path) -> None:
    customers = completed_orders_by_account()
    rows = query(
        warehouse, "select account_id, order_count, revenue_usd, historical_clv_usd from main.customer_profitability"
    )
    buyers = [r for r in rows if r[0] in customers]
    assert len(buyers) == len(customers)
    assert all(r[1] == customers[r[0]] and r[2] is None and r[3] is None for r in buyers)
    others = [r for r in rows if r[0] not in customers]
    assert others and all(r[1] == 0 and r[2] == 0 for r in others)  # no order at all: revenue truly 0


def test_segments_without_m_and_no_pareto_curve(warehouse: Path) -> None:
    ((customers, monetary, m_scores, deciles, champions),) = query(
        warehouse,
        "select count(*), count(monetary_usd), count(m_score), count(value_decile),"
        " count(*) filter (where rfm_segment = 'champions') from main.customer_segments",
    )
    assert customers == len(completed_orders_by_account())
    assert monetary == m_scores == deciles == champions == 0  # a champion needs M >= 4
    assert query(warehouse, "select count(*) from main.pareto_curve") == [(0,)]
    assert query(
        warehouse,
        "select dimension_value, customers, revenue_usd from main.segment_summary"
        " where dimension_name = 'value_decile'",
    ) == [("unknown", customers, None)]


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_opens(warehouse: Path, page: str) -> None:
    at = AppTest.from_string(f"from crm_warehouse.app.main import run\nrun({page!r})", default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]


def test_overview_says_no_data_for_revenue(warehouse: Path) -> None:
    ((last_order_month,),) = query(warehouse, "select max(order_month) from main.fct_orders")
    assert isinstance(last_order_month, dt.date)
    at = AppTest.from_string("from crm_warehouse.app.main import run\nrun('overview')", default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    (revenue,) = [m.value for m in at.metric if m.label == "Revenue"]
    (net_new,) = [m.value for m in at.metric if m.label == "Net new revenue"]
    assert revenue == net_new == "no data"
