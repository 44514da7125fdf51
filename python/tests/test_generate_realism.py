"""The generated extract behaves like a business: each test states a pattern the generator promises and
checks it on a scale-1 extract (1,000 accounts) with SQL independent of the generator's code."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from crm_warehouse.contract import load_contract
from crm_warehouse.generate import generate
from crm_warehouse.generate.names import COMMENTS


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> duckdb.DuckDBPyConnection:
    out: Path = tmp_path_factory.mktemp("scale1")
    generate(out, "1", seed=42, fmt="parquet")
    con = duckdb.connect()
    for name in load_contract():
        con.execute(f"create view {name} as select * from read_parquet('{out / name}.parquet')")
    return con


def one(con: duckdb.DuckDBPyConnection, sql: str):
    return con.sql(sql).fetchone()


def test_lead_sources_convert_differently(db):
    rates = dict(db.sql("select source, avg((status = 'converted')::int) from leads group by source").fetchall())
    assert rates["referral"] > 2 * rates["paid"]
    assert rates["partner"] > rates["website"] > rates["outbound"]


def test_seasonality_of_leads(db):
    autumn, august = one(db, """
        select count(*) filter (where month(created_at::timestamp) = 10),
               count(*) filter (where month(created_at::timestamp) = 8)
        from leads""")  # fmt: skip
    assert autumn > 1.3 * august
    weekday, weekend = one(db, """
        select count(*) filter (where isodow(created_at::timestamp) <= 5) / 5,
               count(*) filter (where isodow(created_at::timestamp) > 5) / 2
        from leads""")  # fmt: skip
    assert weekday > 4 * weekend


def test_enterprise_deals_take_longer(db):
    cycle = dict(
        db.sql("""
        select a.tier, median(o.close_date::date - o.created_at::timestamp::date)
        from opportunities o join accounts a using (account_id)
        where o.is_closed = 'true' and o.opportunity_type = 'new'
        group by a.tier""").fetchall()
    )  # fmt: skip
    assert cycle["enterprise"] > 60 > cycle["mid_market"] > 30 > cycle["smb"] > 7


def test_reps_differ_in_win_rate(db):
    low, high = one(db, """
        select min(wr), max(wr) from (
            select owner_user_id, avg((stage = 'closed_won')::int) wr from opportunities
            where is_closed = 'true' and opportunity_type = 'new' group by owner_user_id)""")  # fmt: skip
    assert high - low > 0.15


def test_stage_history_is_ordered_and_ends_at_the_current_stage(db):
    mismatched = one(db, """
        with last as (
            select opportunity_id, arg_max(stage, entered_at::timestamp) stage from opportunity_stage_history
            group by opportunity_id)
        select count(*) from opportunities o left join last l using (opportunity_id)
        where l.stage is distinct from o.stage""")[0]  # fmt: skip
    assert mismatched == 0
    reopened = one(db, """
        select count(distinct opportunity_id) from (
            select opportunity_id, stage,
                   lead(stage) over (partition by opportunity_id order by entered_at::timestamp) nxt
            from opportunity_stage_history)
        where stage = 'closed_lost' and nxt not in ('closed_lost', 'closed_won')""")[0]  # fmt: skip
    assert reopened > 0


def test_every_won_deal_has_an_order_and_repeat_purchases_exist(db):
    missing = one(db, """
        select count(*) from opportunities o
        where o.stage = 'closed_won' and not exists (select 1 from orders r where r.opportunity_id = o.opportunity_id)
    """)[0]  # fmt: skip
    assert missing == 0
    repeat, buyers = one(db, """
        select count(*) filter (where n >= 2), count(*) from (
            select account_id, count(*) n from orders where status = 'completed' group by account_id)""")  # fmt: skip
    assert repeat > 0.3 * buyers
    assert {r[0] for r in db.sql("select distinct currency from orders").fetchall()} == {
        "USD", "EUR", "GBP", "CAD", "AUD"
    }  # fmt: skip


def test_fx_rates_cover_every_day_of_the_period_for_every_currency(db):
    days, currencies, rows, first, last = one(db, """
        select count(distinct rate_date), count(distinct currency), count(*), min(rate_date), max(rate_date)
        from fx_rates""")  # fmt: skip
    assert rows == days * currencies and currencies == 5
    assert first <= "2023-11-01" and last == "2026-10-31"


def test_plan_changes_end_one_subscription_and_start_the_next(db):
    changes, followed = one(db, """
        select count(*), count(*) filter (where exists (
            select 1 from subscriptions n
            where n.account_id = s.account_id and n.started_at::date = s.ended_at::date + 1
              and (case n.plan when 'basic' then 1 when 'pro' then 2 else 3 end)
                  <> (case s.plan when 'basic' then 1 when 'pro' then 2 else 3 end)))
        from subscriptions s where s.status in ('upgraded', 'downgraded')""")  # fmt: skip
    assert changes > 0 and followed == changes


def test_churn_follows_painful_tickets_and_low_nps(db):
    rows = dict(
        (churned, (pains, nps))
        for churned, pains, nps in db.sql("""
        with churn as (
            select account_id, bool_or(status in ('cancelled', 'expired')) churned from subscriptions
            group by account_id),
        pain as (
            select account_id, count(*) filter (where escalated_at is not null or resolved_at is null) pains
            from tickets group by account_id),
        nps as (select account_id, avg(score::double) nps from survey_responses where survey_type = 'nps'
                group by account_id)
        select churned, avg(coalesce(pains, 0)), avg(nps)
        from churn left join pain using (account_id) left join nps using (account_id) group by churned""").fetchall()
    )  # fmt: skip
    assert rows[True][0] > 1.5 * rows[False][0]
    assert rows[True][1] < rows[False][1] - 1


def test_engagement_rises_before_qualification(db):
    before, after = one(db, """
        select count(*) filter (where e.occurred_at < l.qualified_at
                                  and e.occurred_at::timestamp >= l.qualified_at::timestamp - interval 28 day),
               count(*) filter (where e.occurred_at::timestamp >= l.qualified_at::timestamp + interval 28 day
                                  and e.occurred_at::timestamp < l.qualified_at::timestamp + interval 56 day)
        from engagement_events e join leads l using (lead_id) where l.qualified_at is not null""")  # fmt: skip
    assert before > 3 * after


def test_survey_scores_cover_every_class_and_comments_match_the_tone(db):
    classes = {
        r[0]
        for r in db.sql("""
        select case when score::int >= 9 then 'promoter' when score::int >= 7 then 'passive' else 'detractor' end
        from survey_responses where survey_type = 'nps'""").fetchall()
    }  # fmt: skip
    assert classes == {"promoter", "passive", "detractor"}
    happy = {r[0] for r in db.sql("""
        select comment from survey_responses where comment is not null
          and ((survey_type = 'nps' and score::int >= 9) or (survey_type = 'csat' and score::int >= 4))
    """).fetchall()}  # fmt: skip
    assert happy and not happy & set(COMMENTS["negative"])


def test_service_levels_and_calls(db):
    complaints, escalated_share = one(db, """
        select count(*) filter (where category = 'complaint'), avg((escalated_at is not null)::int) from tickets
    """)  # fmt: skip
    assert complaints > 0 and 0.03 < escalated_share < 0.4
    abandoned = one(db, "select avg((outcome = 'abandoned')::int) from service_calls")[0]
    assert 0.02 < abandoned < 0.4


def test_some_users_are_inactive_or_barely_log_in(db):
    inactive = one(db, "select count(*) from users where is_active = 'false'")[0]
    rare = one(db, """
        select count(*) from users u where (select count(*) from crm_logins l where l.user_id = u.user_id) < 150
    """)[0]  # fmt: skip
    assert inactive > 0 and rare > 0


def test_dates_of_a_deal_are_in_order(db):
    early = one(db, """
        select count(*) from opportunities where close_date::date < created_at::timestamp::date""")[0]  # fmt: skip
    assert early == 0
    before_deal = one(db, """
        select count(*) from orders r join opportunities o using (opportunity_id)
        where r.ordered_at::timestamp < o.created_at::timestamp""")[0]  # fmt: skip
    assert before_deal == 0


def test_upsells_move_up_a_tier_and_cross_sells_to_another_family(db):
    bad_upsells, upsells = one(db, """
        select count(*) filter (where p.tier = 'basic'), count(*)
        from opportunities o join products p using (product_id)
        where o.opportunity_type = 'upsell'""")  # fmt: skip
    assert upsells > 0 and bad_upsells == 0
    same_family, cross_sells = one(db, """
        with first_product as (
            select o.account_id, p.product_family from opportunities o join products p using (product_id)
            where o.opportunity_type = 'new')
        select count(*) filter (where p.product_family = f.product_family), count(*)
        from opportunities o join products p using (product_id) join first_product f using (account_id)
        where o.opportunity_type = 'cross_sell'""")  # fmt: skip
    assert cross_sells > 0 and same_family == 0
