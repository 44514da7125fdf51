"""Incomplete deals are still deals (issue 9): a demo copy with four added deals lacking account, amount or close date.

Added (template OPP-0000001, rep USR-0004, USD), created 2026-06-01 unless said:
  OPP-9100001  open, no account, amount 1000, expected close 2026-12-20
  OPP-9100002  open, account kept, no amount, no expected close date, product PRD-9999 (not in the catalogue)
  OPP-9100003  open, no account, no amount, no expected close date
  OPP-9100004  won 2026-11-15 (created 2026-10-01), no account, no amount

Every expected figure below is the demo's own count, read from the demo CSV in Python (the demo has no such deal),
plus what the four deals add by the rules: they count in deal counts, win-rate denominators and open pipeline;
amounts skip them and *_missing_amount counts them; an open deal without close date is open by snapshot month and
expected in no close month; a deal without account is in segment 'unknown'. Plus ACC-9000001, an account whose
industry (aerospace) is outside the contract list: kept with industry 'other'.

Rows with no owner, user or account (issue 11: HubSpot deals no one owns, automated emails, tickets from people
the CRM links to no company) are kept too, flagged missing_required:
  OPP-9100005  won 2026-11-20 (created 2026-11-02), account ACC-000001, USD 500, no owner
  ACT-910000001  a copy of ACT-000000001 with no user
  TCK-9100001  a copy of TCK-0000001 with no account
They count in company-wide figures (the 'all' rows, and 'unknown' under rep and team) and in no rep's or account's.
So are tickets without channel, priority or category (help desks leave priority unset often), or with values
outside the contract's lists: 'unknown' and 'other' in the facts.
  TCK-9100002  a copy of TCK-0000001 (January 2024, email, low, technical) with no channel, priority or category
  TCK-9100003  a copy of TCK-0000001 with channel 'fax' and category 'Billing Question'
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest
from corpus.cases import _append_variant, copy_demo_extract, read_rows
from dbt_helpers import assert_ok, run_dbt

AS_OF = dt.date(2026, 12, 1)
ADDED = {
    "OPP-9100001": {"account_id": "", "amount": "1000.00", "close_date": "2026-12-20"},
    "OPP-9100002": {"amount": "", "close_date": "", "product_id": "PRD-9999"},
    "OPP-9100003": {"account_id": "", "amount": "", "close_date": ""},
    "OPP-9100004": {
        "account_id": "",
        "amount": "",
        "close_date": "2026-11-15",
        "stage": "closed_won",
        "is_closed": "true",
        "is_won": "true",
        "created_at": "2026-10-01T10:00:00Z",
    },
}
OPEN = {"stage": "prospecting", "probability": "10", "is_closed": "false", "is_won": "false"}


UNOWNED_DEAL = "OPP-9100005"
UNOWNED = {
    "owner_user_id": "",
    "account_id": "ACC-000001",
    "amount": "500.00",
    "currency": "USD",
    "stage": "closed_won",
    "probability": "100",
    "is_closed": "true",
    "is_won": "true",
    "created_at": "2026-11-02T10:00:00Z",
    "close_date": "2026-11-20",
}
USERLESS_ACTIVITY = "ACT-910000001"
ACCOUNTLESS_TICKET = "TCK-9100001"
UNLABELLED_TICKET = "TCK-9100002"
OFF_LIST_TICKET = "TCK-9100003"


def add_rows_without_owner_user_or_account(extract: Path) -> None:
    _append_variant(
        extract,
        "opportunities",
        "OPP-0000001",
        opportunity_id=UNOWNED_DEAL,
        updated_at="2026-11-20T10:00:00Z",
        loss_reason="",
        **UNOWNED,
    )
    _append_variant(extract, "activities", "ACT-000000001", activity_id=USERLESS_ACTIVITY, user_id="")
    _append_variant(extract, "tickets", "TCK-0000001", ticket_id=ACCOUNTLESS_TICKET, account_id="")
    _append_variant(
        extract, "tickets", "TCK-0000001", ticket_id=UNLABELLED_TICKET, channel="", priority="", category=""
    )
    _append_variant(
        extract, "tickets", "TCK-0000001", ticket_id=OFF_LIST_TICKET, channel="fax", category="Billing Question"
    )


def add_incomplete_deals(extract: Path) -> None:
    _append_variant(extract, "accounts", "ACC-000001", account_id="ACC-9000001", industry="aerospace")
    for opportunity_id, values in ADDED.items():
        _append_variant(
            extract,
            "opportunities",
            "OPP-0000001",
            **{
                "opportunity_id": opportunity_id,
                "created_at": "2026-06-01T10:00:00Z",
                "updated_at": "2026-11-20T10:00:00Z",
                "loss_reason": "",
                **OPEN,
                **values,
            },
        )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, str]]]:
    tmp = tmp_path_factory.mktemp("incomplete_deals")
    extract = copy_demo_extract(tmp / "extract")
    demo_deals = read_rows(extract / "opportunities.csv")
    add_incomplete_deals(extract)
    add_rows_without_owner_user_or_account(extract)
    selection = ["+kpi_overview", "+win_rates", "+forecast", "+rep_scorecard", "+goal_attainment"]
    selection += [
        "+activity_effectiveness",
        "+preferred_channel",
        "+support_performance",
        "+data_quality__value_issues",
    ]
    skip_staging_tests = ["--exclude", "path:models/staging,resource_type:test", "--indirect-selection", "cautious"]
    result = run_dbt(
        tmp, extract, "build", "--select", *selection, *skip_staging_tests, dbt_vars={"as_of_date": str(AS_OF)}
    )
    assert_ok(result)  # every data test passes too: contracts, not_null where it must hold, relationships
    return tmp / "crm.duckdb", demo_deals


@pytest.fixture
def warehouse(built: tuple[Path, list[dict[str, str]]]):
    connection = duckdb.connect(str(built[0]), read_only=True)
    yield connection
    connection.close()


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text[:10]) if text else None


def _demo_open_at(demo: list[dict[str, str]], day: dt.date) -> int:
    """Demo deals open on day: created by then and still open, or closed after it."""
    return sum(
        1
        for deal in demo
        if _date(deal["created_at"]) <= day  # type: ignore[operator]
        and (deal["is_closed"] == "false" or _date(deal["close_date"]) > day)  # type: ignore[operator]
    )


def _demo_closing_in(demo: list[dict[str, str]], month: str) -> tuple[int, int, int, int]:
    """(deals, open, won, lost) of the demo with close_date in month (YYYY-MM)."""
    deals = [d for d in demo if d["close_date"].startswith(month)]
    open_ = sum(d["is_closed"] == "false" for d in deals)
    won = sum(d["is_won"] == "true" for d in deals)
    return len(deals), open_, won, len(deals) - open_ - won


def test_fct_opportunities_keeps_every_incomplete_deal(warehouse) -> None:
    rows = warehouse.execute(
        "select opportunity_id, account_id is null, amount is null, amount_usd, close_date, account_tier,"
        " account_region, account_industry from main.fct_opportunities where opportunity_id like 'OPP-91%'"
        " order by 1"
    ).fetchall()
    template_account = warehouse.execute(
        "select tier, region, industry from main.dim_accounts where account_id = 'ACC-000001'"
    ).fetchone()
    assert "unknown" not in template_account
    assert rows == [
        ("OPP-9100001", True, False, 1000, dt.date(2026, 12, 20), "unknown", "unknown", "unknown"),
        ("OPP-9100002", False, True, None, None, *template_account),
        ("OPP-9100003", True, True, None, None, "unknown", "unknown", "unknown"),
        ("OPP-9100004", True, True, None, dt.date(2026, 11, 15), "unknown", "unknown", "unknown"),
        ("OPP-9100005", False, False, 500, dt.date(2026, 11, 20), *template_account),
    ]
    # A deal without account is no account key: the dimension gains no member for it.
    assert warehouse.sql("select count(*) from main.dim_accounts where is_inferred_member").fetchone() == (0,)


def test_unknown_references_and_enum_values_join_unknown_and_other_members(warehouse) -> None:
    products = warehouse.sql(
        "select product_id, product_name, product_family, tier, list_price_usd from main.dim_products"
        " where is_inferred_member"
    ).fetchall()
    assert products == [("PRD-9999", "unknown", "unknown", "unknown", None)]
    family = warehouse.sql(
        "select product_family from main.fct_opportunities where opportunity_id = 'OPP-9100002'"
    ).fetchone()
    assert family == ("unknown",)
    account = warehouse.sql(
        "select industry, is_inferred_member from main.dim_accounts where account_id = 'ACC-9000001'"
    ).fetchone()
    assert account == ("other", False)


def test_open_pipeline_counts_deals_without_amount_or_close_date(built, warehouse) -> None:
    demo = built[1]
    rows = dict(
        (month, counts)
        for month, *counts in warehouse.execute(
            "select month_start, open_opportunities, open_opportunities_missing_amount,"
            " open_opportunities_without_close_date from main.pipeline where dimension_name = 'all'"
        ).fetchall()
    )
    # December (snapshot = as-of date): the 3 open deals are open; OPP-9100004 closed in November.
    assert rows[dt.date(2026, 12, 1)] == [_demo_open_at(demo, AS_OF) + 3, 2, 2]
    # October 31: all four open (OPP-9100004 created 10-01, closed 11-15); three without amount.
    assert rows[dt.date(2026, 10, 1)] == [_demo_open_at(demo, dt.date(2026, 10, 31)) + 4, 3, 2]
    # May 31: none of them created yet; the demo has no deal without amount or close date.
    assert rows[dt.date(2026, 5, 1)] == [_demo_open_at(demo, dt.date(2026, 5, 31)), 0, 0]
    kpi = warehouse.execute(
        "select open_pipeline_missing_amount from main.kpi_overview where month_start = '2026-12-01'"
    ).fetchone()
    assert kpi == (2,)
    rep = warehouse.execute(
        "select open_opportunities_missing_amount from main.rep_scorecard"
        " where user_id = 'USR-0004' and month_start = '2026-12-01'"
    ).fetchone()
    assert rep == (2,)


def test_win_rates_count_deals_without_amount_or_account(built, warehouse) -> None:
    demo = built[1]

    def row(month: str, dimension: str, value: str) -> tuple:
        return warehouse.execute(
            "select opportunities, open_deals, won_deals, lost_deals, win_rate, won_deals_missing_amount"
            " from main.win_rates where period_grain = 'month' and period_start = ?"
            " and dimension_name = ? and dimension_value = ?",
            [f"{month}-01", dimension, value],
        ).fetchone()

    deals, open_, won, lost = _demo_closing_in(demo, "2026-11")
    # + OPP-9100004 (won, no amount) and OPP-9100005 (won, no owner)
    assert row("2026-11", "all", "all") == (deals + 2, open_, won + 2, lost, (won + 2) / (won + 2 + lost), 1)
    deals, open_, won, lost = _demo_closing_in(demo, "2026-12")
    assert row("2026-12", "all", "all")[:4] == (deals + 1, open_ + 1, won, lost)
    # The unknown account's segment holds only the added deals that have a close period.
    assert row("2026-11", "segment", "unknown") == (1, 0, 1, 0, 1.0, 1)
    assert row("2026-12", "segment", "unknown") == (1, 1, 0, 0, None, 0)
    amounts = warehouse.execute(
        "select won_amount_usd, average_deal_size_usd from main.win_rates where period_grain = 'month'"
        " and period_start = '2026-11-01' and dimension_name = 'segment' and dimension_value = 'unknown'"
    ).fetchone()
    assert amounts == (0, None)  # its only won deal has no amount: skipped, not zero-valued


def test_forecast_places_no_deal_without_close_date(built, warehouse) -> None:
    demo = built[1]
    rows = warehouse.execute(
        "select target_month_start, open_opportunities, open_opportunities_without_close_date"
        " from main.forecast where is_latest_forecast order by 1"
    ).fetchall()
    assert [without for *_, without in rows] == [2, 2, 2]
    # First target month: December (the day after the as-of date); overdue demo deals are placed in it.
    overdue_or_december = sum(
        1 for d in demo if d["is_closed"] == "false" and _date(d["close_date"]) < dt.date(2027, 1, 1)
    )
    assert rows[0][:2] == (dt.date(2026, 12, 1), overdue_or_december + 1)  # + OPP-9100001


def test_rows_without_owner_user_or_account_are_kept_and_flagged(warehouse) -> None:
    deal = warehouse.execute(
        "select owner_user_id, owner_team, is_won, amount_usd from main.fct_opportunities where opportunity_id = ?",
        [UNOWNED_DEAL],
    ).fetchone()
    assert deal == (None, None, True, 500)
    activity = warehouse.execute(
        "select user_id, account_id from main.fct_activities where activity_id = ?", [USERLESS_ACTIVITY]
    ).fetchone()
    assert activity == (None, "ACC-000119")  # the template's account stays
    ticket = warehouse.execute(
        "select account_id, contact_id from main.fct_tickets where ticket_id = ?", [ACCOUNTLESS_TICKET]
    ).fetchone()
    assert ticket == (None, "CON-0000003")
    flags = warehouse.execute(
        "select entity, source_key, column_name, rule, action from main_intermediate.data_quality__value_issues"
        " where source_key in (?, ?, ?) order by entity",
        [UNOWNED_DEAL, USERLESS_ACTIVITY, ACCOUNTLESS_TICKET],
    ).fetchall()
    assert flags == [
        ("activities", USERLESS_ACTIVITY, "user_id", "missing_required", "kept_missing"),
        ("opportunities", UNOWNED_DEAL, "owner_user_id", "missing_required", "kept_missing"),
        ("tickets", ACCOUNTLESS_TICKET, "account_id", "missing_required", "kept_missing"),
    ]
    # A missing key is no key: no dimension gains an inferred member for it.
    assert warehouse.sql("select count(*) from main.dim_users where is_inferred_member").fetchone() == (0,)


def test_a_deal_no_one_owns_is_in_the_unknown_rep_and_team_rows(built, warehouse) -> None:
    extract = built[0].parent / "extract"
    assert all(user["team"] for user in read_rows(extract / "users.csv"))  # so only OPP-9100005 has no team
    for dimension in ("rep", "team"):
        won = warehouse.execute(
            "select opportunities, open_deals, won_deals, lost_deals, win_rate, won_amount_usd from main.win_rates"
            " where period_grain = 'month' and period_start = '2026-11-01' and dimension_name = ?"
            " and dimension_value = 'unknown'",
            [dimension],
        ).fetchone()
        assert won == (1, 0, 1, 0, 1.0, 500), dimension
        booked = warehouse.execute(
            "select won_deals, won_amount_usd from main.goal_attainment where month_start = '2026-11-01'"
            " and dimension_name = ? and dimension_value = 'unknown'",
            [dimension],
        ).fetchone()
        assert booked == (1, 500), dimension


def test_no_rep_or_account_row_holds_the_rows_without_one(built, warehouse) -> None:
    extract = built[0].parent / "extract"
    reps = {user["user_id"] for user in read_rows(extract / "users.csv")}
    # Every activity in a rep's row was logged by that rep: the rep rows add up to the activities with a user.
    (rep_interactions,) = warehouse.sql("select sum(interactions) from main.activity_effectiveness").fetchone()
    logged = [a for a in read_rows(extract / "activities.csv") if a["user_id"] in reps]
    assert rep_interactions == len(logged)
    (scorecard_won,) = warehouse.sql(
        "select sum(won_deals) from main.rep_scorecard where month_start = '2026-11-01'"
    ).fetchone()
    demo_won_by_reps = sum(
        1 for d in built[1] if d["is_won"] == "true" and d["close_date"].startswith("2026-11") and d["owner_user_id"]
    )
    assert scorecard_won == demo_won_by_reps + 1  # + OPP-9100004, USR-0004's; OPP-9100005 is no rep's


def test_tickets_without_or_outside_the_lists_are_kept_as_unknown_and_other(warehouse) -> None:
    tickets = warehouse.execute(
        "select ticket_id, channel, priority, category, is_complaint from main.fct_tickets"
        " where ticket_id in (?, ?, ?) order by 1",
        ["TCK-0000001", UNLABELLED_TICKET, OFF_LIST_TICKET],
    ).fetchall()
    assert tickets == [
        ("TCK-0000001", "email", "low", "technical", False),
        (UNLABELLED_TICKET, "unknown", "unknown", "unknown", False),
        (OFF_LIST_TICKET, "other", "low", "other", False),
    ]
    flags = warehouse.execute(
        "select source_key, column_name, rule, raw_value, action from main_intermediate.data_quality__value_issues"
        " where source_key in (?, ?) order by 1, 2",
        [UNLABELLED_TICKET, OFF_LIST_TICKET],
    ).fetchall()
    assert flags == [
        (UNLABELLED_TICKET, "category", "missing_required", None, "kept_missing"),
        (UNLABELLED_TICKET, "channel", "missing_required", None, "kept_missing"),
        (UNLABELLED_TICKET, "priority", "missing_required", None, "kept_missing"),
        (OFF_LIST_TICKET, "category", "unknown_enum", "billing_question", "set_to_other"),
        (OFF_LIST_TICKET, "channel", "unknown_enum", "fax", "set_to_other"),
    ]
    # January 2024 (the template's month): one ticket each on the 'unknown' and 'other' rows, both in 'all'.
    by_channel = dict(
        warehouse.execute(
            "select channel, tickets_opened from main.support_performance where month_start = '2024-01-01'"
        ).fetchall()
    )
    assert (by_channel["unknown"], by_channel["other"]) == (1, 1)
    assert by_channel["all"] == sum(count for channel, count in by_channel.items() if channel != "all")
