"""customer_360 on the built demo warehouse (issue 15): three accounts' figures recomputed by hand from the fct_
tables, and every column taken from another mart equal to that mart's value for every account.

The hand figures follow the definitions the marts document: lifetime revenue = completed orders up to the as-of
date (customer_profitability), open deals = created by the as-of date and not closed by it (the pipeline
snapshot), open tickets = unresolved and opened by the as-of date (customer_health), latest NPS / CSAT = the last
answer on or before the as-of date rescaled to 0-10 / 1-5, last touch = the latest dated record of any kind that
names the account directly or through its lead or deal.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from dbt_helpers import DBT

from crm_warehouse import PROJECT_ROOT

HAND_TOUCHES = """
with converted_leads as (
    select lead_id, converted_account_id as account_id from main.fct_leads where converted_account_id is not null
),
touches as (
    select converted_account_id as account_id, created_at as touched_at from main.fct_leads
    union all select converted_account_id, qualified_at from main.fct_leads
    union all select converted_account_id, converted_at from main.fct_leads
    union all select coalesce(e.account_id, l.account_id), e.occurred_at
        from main.fct_engagement_events e left join converted_leads l using (lead_id)
    union all select coalesce(a.account_id, o.account_id, l.account_id), a.occurred_at
        from main.fct_activities a
        left join main.fct_opportunities o using (opportunity_id)
        left join converted_leads l on a.lead_id = l.lead_id
    union all select account_id, created_at from main.fct_opportunities
    union all select account_id, cast(close_date as timestamp) from main.fct_opportunities where is_closed
    union all select account_id, ordered_at from main.fct_orders where status = 'completed'
    union all select account_id, opened_at from main.fct_tickets
)
select max(touched_at) from touches where account_id = ? and cast(touched_at as date) <= ?
"""


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    """The full demo warehouse (facts included): CRM_DUCKDB_PATH or warehouse/crm.duckdb, else a private build."""
    built = None
    for candidate in (os.environ.get("CRM_DUCKDB_PATH"), str(PROJECT_ROOT / "warehouse" / "crm.duckdb")):
        if candidate and Path(candidate).is_file():
            built = Path(candidate)
            break
    if built is None:
        work = Path(tempfile.mkdtemp(prefix="crm_c360_test_"))
        built = work / "crm.duckdb"
        env = {**os.environ, "DBT_PROFILES_DIR": str(PROJECT_ROOT), "CRM_DUCKDB_PATH": str(built)}
        paths = ["--target-path", str(work / "target"), "--log-path", str(work / "logs")]
        subprocess.run(
            [str(DBT), "build", "--quiet", "--exclude-resource-type", "unit_test", *paths],
            cwd=PROJECT_ROOT,
            env=env,
            check=True,
        )
    with duckdb.connect(str(built), read_only=True) as connection:
        yield connection


@pytest.fixture(scope="module")
def as_of(con: duckdb.DuckDBPyConnection) -> dt.date:
    ((value,),) = con.execute("select cast(as_of_date as date) from main.warehouse_build_info").fetchall()
    return value


def one(con: duckdb.DuckDBPyConnection, sql: str, params: list[object]) -> object:
    ((value,),) = con.execute(sql, params).fetchall()
    return value


def chosen_accounts(con: duckdb.DuckDBPyConnection, as_of: dt.date) -> list[str]:
    """The customer with the most completed orders, the first account with a deal open at the as-of date and the
    first customer with an unresolved ticket and an NPS answer."""
    most_orders = one(
        con,
        "select account_id from main.fct_orders where status = 'completed' and account_id is not null"
        " group by 1 order by count(*) desc, account_id limit 1",
        [],
    )
    open_deal = one(
        con,
        "select min(account_id) from main.fct_opportunities where created_date <= ?"
        " and (not is_closed or close_date > ?)",
        [as_of, as_of],
    )
    ticket_and_nps = one(
        con,
        "select min(t.account_id) from main.fct_tickets t join main.fct_survey_responses s using (account_id)"
        " join main.dim_accounts a using (account_id)"
        " where not t.is_resolved and t.opened_date <= ? and s.survey_type = 'nps' and a.is_customer",
        [as_of],
    )
    accounts = [str(most_orders), str(open_deal), str(ticket_and_nps)]
    assert None not in (most_orders, open_deal, ticket_and_nps) and len(set(accounts)) == 3, accounts
    return accounts


def latest_answer(
    con: duckdb.DuckDBPyConnection, account_id: str, survey_type: str, as_of: dt.date, low: float, high: float
) -> float | None:
    rows = con.execute(
        "select score, scale_min, scale_max from main.fct_survey_responses"
        " where account_id = ? and survey_type = ? and cast(responded_at as date) <= ?"
        " order by responded_at desc, response_id desc limit 1",
        [account_id, survey_type, as_of],
    ).fetchall()
    if not rows:
        return None
    score, scale_min, scale_max = rows[0]
    return low + (high - low) * (score - scale_min) / (scale_max - scale_min)


def test_three_accounts_equal_their_hand_computed_figures(con: duckdb.DuckDBPyConnection, as_of: dt.date) -> None:
    for account_id in chosen_accounts(con, as_of):
        row = con.execute(
            "select lifetime_revenue_usd, gross_margin_usd, order_count, open_opportunities, open_pipeline_usd,"
            " open_tickets, open_escalated_tickets, latest_nps_score, latest_csat_score, last_touch_at,"
            " days_since_last_touch from main.customer_360 where account_id = ?",
            [account_id],
        ).fetchone()
        assert row is not None, account_id
        revenue, margin, orders, open_deals, pipeline, tickets, escalated, nps, csat, last_touch, days = row

        hand_revenue, hand_margin, hand_orders = con.execute(
            "select coalesce(sum(revenue_usd), 0), coalesce(sum(revenue_usd - cost_usd), 0), count(*)"
            " from main.fct_orders where account_id = ? and status = 'completed' and order_date <= ?",
            [account_id, as_of],
        ).fetchone()  # type: ignore[misc]
        assert float(revenue) == pytest.approx(float(hand_revenue), abs=0.01), account_id
        assert float(margin) == pytest.approx(float(hand_margin), abs=0.01), account_id
        assert orders == hand_orders, account_id

        hand_open, hand_pipeline = con.execute(
            "select count(*), coalesce(sum(amount_usd), 0) from main.fct_opportunities where account_id = ?"
            " and created_date <= ? and (not is_closed or close_date > ?)",
            [account_id, as_of, as_of],
        ).fetchone()  # type: ignore[misc]
        assert open_deals == hand_open, account_id
        assert pipeline == pytest.approx(float(hand_pipeline), abs=0.01), account_id

        is_customer = one(con, "select is_customer from main.dim_accounts where account_id = ?", [account_id])
        hand_tickets, hand_escalated = con.execute(
            "select count(*), count(case when is_escalated then 1 end) from main.fct_tickets"
            " where account_id = ? and not is_resolved and opened_date <= ?",
            [account_id, as_of],
        ).fetchone()  # type: ignore[misc]
        if is_customer:
            assert (tickets, escalated) == (hand_tickets, hand_escalated), account_id
        else:
            assert tickets is None and escalated is None, account_id  # customer_health scores customers only

        hand_nps = latest_answer(con, account_id, "nps", as_of, 0, 10)
        hand_csat = latest_answer(con, account_id, "csat", as_of, 1, 5)
        assert nps == (None if hand_nps is None else pytest.approx(hand_nps)), account_id
        assert csat == (None if hand_csat is None else pytest.approx(hand_csat)), account_id

        hand_last = one(con, HAND_TOUCHES, [account_id, as_of])
        assert last_touch == hand_last, account_id
        assert days == (as_of - hand_last.date()).days, account_id  # type: ignore[union-attr]


def test_open_pipeline_adds_up_to_the_pipeline_mart(con: duckdb.DuckDBPyConnection, as_of: dt.date) -> None:
    """Sum over accounts = the pipeline mart's 'all' row of the as-of month, less deals without an account."""
    total_360, deals_360 = con.execute(
        "select sum(open_pipeline_usd), sum(open_opportunities) from main.customer_360"
    ).fetchone()  # type: ignore[misc]
    no_account, no_account_deals = con.execute(
        "select coalesce(sum(amount_usd), 0), count(*) from main.fct_opportunities where account_id is null"
        " and created_date <= ? and (not is_closed or close_date > ?)",
        [as_of, as_of],
    ).fetchone()  # type: ignore[misc]
    pipeline, deals = con.execute(
        "select pipeline_value_usd, open_opportunities from main.pipeline"
        " where dimension_name = 'all' and month_start = date_trunc('month', cast(? as date))",
        [as_of],
    ).fetchone()  # type: ignore[misc]
    assert deals_360 > 0
    assert deals_360 + no_account_deals == deals
    assert total_360 + float(no_account) == pytest.approx(pipeline, abs=0.01)


def test_columns_taken_from_other_marts_equal_them_for_every_account(con: duckdb.DuckDBPyConnection) -> None:
    """One left join per source mart: no account's value differs (null-safe) from the mart that defines it."""
    checks = {
        "dim_accounts": ("account_id", ["account_name", "industry", "tier", "region", "is_customer"]),
        "customer_profitability": (
            "account_id",
            ["revenue_usd:lifetime_revenue_usd", "customer_margin_usd", "predictive_clv_usd", "p_alive"],
        ),
        "int_account_segments_assigned": ("account_id", ["rfm_segment", "value_decile"]),
        "customer_health": ("account_id", ["health_score", "risk_tier", "churn_risk_score", "open_tickets"]),
    }
    for table, (key, columns) in checks.items():
        schema = "main_intermediate" if table.startswith("int_") else "main"
        for column in columns:
            source, _, target = column.partition(":")
            target = target or source
            (differing,) = con.execute(
                f"select count(*) from main.customer_360 c left join {schema}.{table} s using ({key})"
                f" where c.{target} is distinct from s.{source}"
            ).fetchone()  # type: ignore[misc]
            assert differing == 0, f"{table}.{source} vs customer_360.{target}"
    (offers,) = con.execute(
        "select count(*) from main.customer_360 c left join main.next_best_offer o"
        " on c.account_id = o.account_id and o.offer_rank = 1"
        " where c.next_best_offer_product_id is distinct from o.product_id"
    ).fetchone()  # type: ignore[misc]
    assert offers == 0
    at_risk = con.execute(
        "select count(*) filter (where is_at_risk_high_value), (select count(*) from main.at_risk_accounts)"
        " from main.customer_360"
    ).fetchone()
    assert at_risk is not None and at_risk[0] == at_risk[1]
