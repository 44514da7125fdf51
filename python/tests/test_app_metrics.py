"""The app's metric queries (issue 13 item 2): compiled by MetricFlow at publish, every filter applied together.

Values under two filters at once are counted here in plain Python from the published fact and dimension rows,
never read from a mart; which filters a query takes follows from where its metrics are counted.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest
from app_helpers import app_warehouse, serving

from crm_warehouse.app.filters import Filters
from crm_warehouse.app.metric_queries import APP_QUERIES
from crm_warehouse.semantic.filters import FILTER_KEYS, FILTERS

NONE = dict.fromkeys(("start", "end", *FILTER_KEYS))


@pytest.fixture(scope="module")
def warehouse() -> Iterator[Path]:
    path = app_warehouse()
    with serving(path) as served:
        yield served


def rows(path: Path, sql: str, params: list[object] | None = None) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def compiled(path: Path, name: str) -> tuple[str, list[str], dict[str, str], dict[str, str]]:
    ((sql, params, applied, unavailable),) = rows(
        path,
        "select sql, parameters, applied_filters, unavailable_filters from main.app_metric_queries"
        " where query_name = ?",
        [name],
    )
    return sql, params, json.loads(applied), json.loads(unavailable)


def run(path: Path, name: str, **values: object) -> dict[date, tuple]:
    """The compiled query with these filter values (the rest null): first column -> the metric columns."""
    sql, params, _, _ = compiled(path, name)
    bound = {k: v for k, v in {**NONE, **values}.items() if k in params}
    with duckdb.connect(str(path), read_only=True) as con:
        result = con.execute(sql, bound).fetchall()
    return {row[0].date() if hasattr(row[0], "date") else row[0]: row[1:] for row in result}


def test_every_app_query_is_published(warehouse: Path) -> None:
    names = {name for (name,) in rows(warehouse, "select query_name from main.app_metric_queries")}
    assert names == set(APP_QUERIES)


def test_a_query_takes_the_filters_its_metrics_are_counted_with(warehouse: Path) -> None:
    # Deals carry an account, an owner, a product and a lead source: every filter applies.
    _, params, applied, unavailable = compiled(warehouse, "kpi_win_rate")
    assert applied == {
        "segment": "account__tier",
        "region": "account__region",
        "team": "rep__team",
        "rep": "rep__user_id",
        "product_family": "product__product_family",
        "lead_source": "opportunity__lead_source",
    }
    assert unavailable == {}
    assert params == ["start", "end", *FILTER_KEYS]
    # An order has an account (and so its owner's team) but no product or lead source.
    _, params, applied, unavailable = compiled(warehouse, "kpi_revenue")
    assert applied["team"] == "account__rep__team"
    assert set(unavailable) == {"product_family", "lead_source"}
    assert unavailable["lead_source"] == "Revenue (USD) comes from orders, where no lead source is recorded"
    assert "lead_source" not in params and "team" in params
    # Month-end pipeline snapshots reach the deal's account through the deal.
    assert compiled(warehouse, "kpi_open_pipeline")[2]["segment"] == "opportunity__account__tier"
    # Marketing spend is not split by anything but time.
    assert set(compiled(warehouse, "kpi_cac")[3]) == set(FILTER_KEYS)


def test_win_rate_under_segment_and_team_at_once_equals_a_hand_count(warehouse: Path) -> None:
    deals = rows(
        warehouse,
        "select o.close_date, o.is_won, o.is_lost, a.tier, u.team from main.fct_opportunities o"
        " left join main.dim_accounts a using (account_id) left join main.dim_users u on u.user_id = o.owner_user_id"
        " where o.is_won or o.is_lost",
    )
    pairs = Counter((tier, team) for _, _, _, tier, team in deals if tier and team)
    (tier, team), _ = pairs.most_common(1)[0]
    won: Counter[date] = Counter()
    closed: Counter[date] = Counter()
    for close_date, is_won, _, deal_tier, deal_team in deals:
        if (deal_tier, deal_team) == (tier, team):
            month = close_date.replace(day=1)
            closed[month] += 1
            won[month] += bool(is_won)
    assert len(closed) >= 3
    got = run(warehouse, "kpi_win_rate", segment=tier, team=team)
    assert {m: v[0] for m, v in got.items()} == pytest.approx({m: won[m] / closed[m] for m in closed}, rel=1e-12)
    # Each filter alone gives other numbers: both were applied.
    assert run(warehouse, "kpi_win_rate", segment=tier) != got
    assert run(warehouse, "kpi_win_rate", team=team) != got
    # The month range bounds the months, inclusive.
    months = sorted(closed)
    ranged = run(warehouse, "kpi_win_rate", segment=tier, team=team, start=months[1], end=months[-2])
    assert sorted(ranged) == [m for m in months if months[1] <= m <= months[-2]]


def test_revenue_by_team_counts_orders_of_the_teams_accounts(warehouse: Path) -> None:
    orders = rows(
        warehouse,
        "select o.order_date, o.revenue_usd, a.region, u.team from main.fct_orders o"
        " join main.dim_accounts a using (account_id) left join main.dim_users u on u.user_id = a.owner_user_id",
    )
    pairs = Counter((region, team) for _, _, region, team in orders if region and team)
    (region, team), _ = pairs.most_common(1)[0]
    expected: defaultdict[date, float] = defaultdict(float)
    for order_date, revenue, order_region, order_team in orders:
        if (order_region, order_team) == (region, team):
            expected[order_date.replace(day=1)] += float(revenue or 0)
    got = run(warehouse, "kpi_revenue", region=region, team=team)
    assert {m: float(v[0]) for m, v in got.items()} == pytest.approx(dict(expected), rel=1e-9)


def test_leads_by_source_and_rep_at_once(warehouse: Path) -> None:
    leads = rows(warehouse, "select created_date, source, owner_user_id, is_converted from main.fct_leads")
    (source, rep), _ = Counter((s, r) for _, s, r, _ in leads if s and r).most_common(1)[0]
    created: Counter[date] = Counter()
    converted: Counter[date] = Counter()
    for created_date, lead_source, owner, is_converted in leads:
        if (lead_source, owner) == (source, rep):
            month = created_date.replace(day=1)
            created[month] += 1
            converted[month] += bool(is_converted)
    got = run(warehouse, "funnel_leads", lead_source=source, rep=rep)
    assert {m: (v[0], v[1]) for m, v in got.items()} == {m: (created[m], converted[m]) for m in created}


def test_a_hostile_filter_value_is_a_bound_parameter(warehouse: Path) -> None:
    assert run(warehouse, "kpi_win_rate", team="x' or '1'='1") == {}
    assert run(warehouse, "kpi_win_rate")  # and the same statement unfiltered answers


def test_filters_dataclass_knows_every_sidebar_filter() -> None:
    assert set(Filters().selected()) == set()
    chosen = Filters(segment="a", product_family="b", lead_source="c")
    assert chosen.selected() == {"segment": "a", "product_family": "b", "lead_source": "c"}
    assert [spec.key for spec in FILTERS] == list(FILTER_KEYS)
