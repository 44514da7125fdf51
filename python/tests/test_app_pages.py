"""AppTests of every page against the published demo warehouse, the query helpers and the publish step."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import yaml
from app_helpers import app_warehouse, serving
from streamlit.testing.v1 import AppTest

from crm_warehouse import PROJECT_ROOT
from crm_warehouse.app import queries
from crm_warehouse.app.main import PAGES
from crm_warehouse.publish import publish


@pytest.fixture(scope="session")
def warehouse() -> Iterator[Path]:
    path = app_warehouse()
    with serving(path) as served:
        yield served


def page_test(page: str) -> AppTest:
    return AppTest.from_string(f"from crm_warehouse.app.main import run\nrun({page!r})", default_timeout=60)


def hand_query(path: Path, sql: str, params: list[object] | None = None) -> list[tuple[object, ...]]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def usd(value: object) -> str:
    number = float(value)  # type: ignore[arg-type]  # the marts' amounts are DECIMAL
    return f"${number / 1e6:,.2f}M" if abs(number) >= 1e6 else f"${number:,.0f}"


def metric(at: AppTest, label: str) -> tuple[str, str | None]:
    found = [m for m in at.metric if m.label == label]
    assert len(found) == 1, [m.label for m in at.metric]
    return found[0].value, found[0].delta


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_renders_without_exception(warehouse: Path, page: str) -> None:
    at = page_test(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == PAGES[page].TITLE
    assert len(at.dataframe) >= 1
    # Every table has a CSV download next to it.
    assert len(at.get("download_button")) == len(at.dataframe)


def test_overview_kpis_equal_the_mart(warehouse: Path) -> None:
    months = [m for (m,) in hand_query(warehouse, "select month_start from main.kpi_overview order by 1")]
    at = page_test("overview").run()
    chosen = months[-4]
    at.select_slider(key="months").set_range(f"{months[0]:%Y-%m}", f"{chosen:%Y-%m}").run()
    assert not at.exception
    (row,) = hand_query(
        warehouse,
        "select revenue_usd, net_new_revenue_usd, win_rate, logo_churn_rate, net_revenue_retention,"
        " net_revenue_retention_ttm, clv_to_cac_ratio from main.kpi_overview where month_start = ?",
        [chosen],
    )
    (previous_revenue,) = hand_query(
        warehouse, "select revenue_usd from main.kpi_overview where month_start = ?", [months[-5]]
    )[0]
    revenue, net_new, win_rate, churn, nrr, nrr_ttm, clv_cac = row
    assert metric(at, "Revenue")[0] == usd(revenue)
    change = revenue - previous_revenue
    assert metric(at, "Revenue")[1] == ("+" if change >= 0 else "-") + usd(abs(change))
    assert metric(at, "Net new revenue")[0] == usd(net_new)
    assert metric(at, "Win rate")[0] == (f"{win_rate * 100:.1f}%" if win_rate is not None else "no data")
    assert metric(at, "Logo churn")[0] == (f"{churn * 100:.1f}%" if churn is not None else "no data")
    assert metric(at, "NRR (monthly)")[0] == (f"{nrr * 100:.1f}%" if nrr is not None else "no data")
    assert metric(at, "NRR (TTM)")[0] == (f"{nrr_ttm * 100:.1f}%" if nrr_ttm is not None else "no data")
    assert metric(at, "CLV : CAC")[0] == (f"{clv_cac:.2f}" if clv_cac is not None else "no data")
    assert len(at.metric) == 11
    # The hover help is the column's documented definition.
    assert "revenue" in (at.metric[0].help or "").lower()


def test_overview_month_filter_changes_the_numbers(warehouse: Path) -> None:
    months = [m for (m,) in hand_query(warehouse, "select month_start from main.kpi_overview order by 1")]
    revenues = dict(hand_query(warehouse, "select month_start, revenue_usd from main.kpi_overview"))
    a, b = months[-3], months[-4]
    assert revenues[a] != revenues[b], "demo data: two consecutive months with equal revenue"
    at = page_test("overview").run()
    at.select_slider(key="months").set_range(f"{months[0]:%Y-%m}", f"{a:%Y-%m}").run()
    first = metric(at, "Revenue")[0]
    at.select_slider(key="months").set_range(f"{months[0]:%Y-%m}", f"{b:%Y-%m}").run()
    second = metric(at, "Revenue")[0]
    assert (first, second) == (usd(revenues[a]), usd(revenues[b]))


def chart_data(at: AppTest) -> dict[str, list[str]]:
    """Chart title -> its traces (as JSON text), for every plotly chart on the page."""
    charts: dict[str, list[str]] = {}
    for element in at.get("plotly_chart"):
        spec = json.loads(element.proto.spec)
        title = (spec["layout"].get("title") or {}).get("text") or f"chart {len(charts)}"
        charts[title] = [
            json.dumps({k: v for k, v in t.items() if k in ("x", "y", "z")}, sort_keys=True) for t in spec["data"]
        ]
    return charts


def busiest_segment_and_team(warehouse: Path) -> tuple[str, str]:
    """The account tier and owner team with the most closed deals (so both filters leave data to show)."""
    ((tier, team),) = hand_query(
        warehouse,
        "select a.tier, u.team from main.fct_opportunities o join main.dim_accounts a using (account_id)"
        " join main.dim_users u on u.user_id = o.owner_user_id where o.is_won or o.is_lost"
        " group by all order by count(*) desc, 1, 2 limit 1",
    )
    return tier, team


# Charts that read a company-level mart the two filters cannot split (they say so, greyed out, on the page).
NOT_SPLIT = {
    "Forecast vs quota",
    "Opportunity stages (deals entering each stage)",
    "Cohort retention",
    "Response and resolution time (hours)",
    "First-contact resolution, escalations, SLA",
}


@pytest.mark.parametrize("page", ["overview", "pipeline", "funnel", "churn", "service"])
def test_two_filters_at_once_change_every_chart_that_has_both(warehouse: Path, page: str) -> None:
    tier, team = busiest_segment_and_team(warehouse)
    at = page_test(page).run()
    before = chart_data(at)
    at.selectbox(key="segment").select(tier).run()
    at.selectbox(key="team").select(team).run()
    assert not at.exception, [e.value for e in at.exception]
    after = chart_data(at)
    captions = " ".join(c.value for c in at.caption)
    for title, traces in before.items():
        if title in NOT_SPLIT:
            assert after.get(title) == traces
            continue
        assert after.get(title) != traces, f"{page}: chart {title!r} did not change under segment + team"
    if page == "overview":
        # CAC is counted on marketing spend: its tile greys both filters out and says why on hover.
        assert "~~Segment (account tier)~~" in captions and "~~Team~~" in captions
    if page == "pipeline":
        assert "Team is not applied: this chart reads the forecast mart, which is not split by team." in captions
        # The pipeline mart holds a team breakdown (velocity shows the team's rows, so it changed) and no segment.
        assert (
            "Segment (account tier) is not applied: this chart reads the pipeline mart, which is not split by"
            " segment (account tier)." in captions
        )


def test_pipeline_chart_under_a_team_equals_the_snapshot_rows(warehouse: Path) -> None:
    team = hand_query(warehouse, "select min(team) from main.dim_users where role = 'sales_rep'")[0][0]
    at = page_test("pipeline").run()
    at.selectbox(key="team").select(team).run()
    assert not at.exception
    spec = next(
        json.loads(e.proto.spec)
        for e in at.get("plotly_chart")
        if "Open and weighted pipeline" in json.loads(e.proto.spec)["layout"]["title"]["text"]
    )
    shown = next(t for t in spec["data"] if t["name"] == "Open pipeline (USD)")
    months, values = shown["x"], shown["y"]
    if isinstance(values, dict):  # plotly's binary array encoding
        import base64

        import numpy as np

        values = np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    expected = dict(
        hand_query(
            warehouse,
            "select s.month_start, sum(s.amount_usd) from main.int_opportunities_snapshotted_monthly s"
            " join main.dim_users u on u.user_id = s.owner_user_id where u.team = ? group by 1",
            [team],
        )
    )
    got = {str(m)[:10]: float(v) for m, v in zip(months, values, strict=True)}
    assert got == pytest.approx({f"{m:%Y-%m-%d}": float(v) for m, v in expected.items() if f"{m:%Y-%m-%d}" in got})
    assert len(got) >= 6


def test_segment_filter_narrows_row_level_marts(warehouse: Path) -> None:
    at = page_test("churn").run()
    tier = "enterprise"
    at.selectbox(key="segment").select(tier).run()
    health = next(df.value for df in at.dataframe if "health_score" in df.value.columns and "risk_tier" in df.value)
    (expected,) = hand_query(warehouse, "select count(*) from main.customer_health where tier = ?", [tier])[0]
    assert len(health) == expected > 0
    assert set(health["tier"]) == {tier}


def test_missing_warehouse_page_names_the_build_command(tmp_path: Path, warehouse: Path) -> None:
    os.environ["CRM_APP_DUCKDB"] = str(tmp_path / "absent.duckdb")
    try:
        at = AppTest.from_string("from crm_warehouse.app.main import run\nrun()", default_timeout=30).run()
    finally:
        os.environ["CRM_APP_DUCKDB"] = str(warehouse)
    assert not at.exception
    assert "make build" in at.error[0].value


def test_queries_reject_identifiers_outside_the_allow_list(warehouse: Path) -> None:
    with pytest.raises(ValueError, match="allow-listed"):
        queries.select("raw_accounts")
    with pytest.raises(ValueError, match="not a column"):
        queries.select("kpi_overview", ["revenue_usd; drop table x"])
    # A hostile value is only ever a bound parameter: it matches nothing, it runs nothing.
    hostile = "x' or '1'='1"
    assert queries.select("pipeline", where=queries.Where(equals={"dimension_value": hostile})).empty


def test_publish_swaps_atomically_and_refuses_a_half_written_build(tmp_path: Path, warehouse: Path) -> None:
    target = tmp_path / "app.duckdb"
    publish(warehouse, target)
    first_inode = target.stat().st_ino
    publish(warehouse, target)
    assert target.stat().st_ino != first_inode, "a republish replaces the file, it does not rewrite it in place"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    with pytest.raises(FileNotFoundError, match="make build"):
        publish(tmp_path / "missing.duckdb", target)
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    with pytest.raises(RuntimeError, match="kpi_overview"):
        publish(empty, target)
    assert hand_query(target, "select count(*) from main.kpi_overview")[0][0] > 0


def test_a_filter_the_mart_cannot_apply_is_named_not_silently_ignored(warehouse: Path) -> None:
    team = hand_query(warehouse, "select min(team) from main.dim_users where role = 'sales_rep'")[0][0]
    at = page_test("churn").run()
    at.selectbox(key="team").select(team).run()
    captions = " ".join(c.value for c in at.caption)
    # The cohort grid reads a mart with no team: greyed out, and the selected filter is explained.
    assert "Team is not applied: this chart reads the cohort_retention mart, which is not split by team." in captions
    health = next(df.value for df in at.dataframe if "risk_tier" in df.value.columns)
    (expected,) = hand_query(warehouse, "select count(*) from main.customer_health where owner_team = ?", [team])[0]
    assert len(health) == expected > 0
    assert set(health["owner_team"]) == {team}


def test_hover_help_is_the_documented_metric_definition(warehouse: Path) -> None:
    document = yaml.safe_load((PROJECT_ROOT / "models/semantic/_semantic__models.yml").read_text())
    documented = {m["name"]: " ".join(m["description"].split()) for m in document["metrics"]}
    at = page_test("overview").run()
    helps = {m.label: m.help for m in at.metric}
    assert helps["Win rate"] == documented["win_rate"]
    assert helps["CLV : CAC"] == documented["clv_to_cac"]


@pytest.mark.parametrize("page", ["overview", "segments"])
def test_every_page_says_what_day_the_data_describes_and_when_it_was_built(warehouse: Path, page: str) -> None:
    ((as_of, built_at),) = hand_query(warehouse, "select as_of_date, built_at from main.warehouse_build_info")
    ((last_month,),) = hand_query(warehouse, "select max(month_start) from main.kpi_overview")
    assert as_of.replace(day=1) == last_month  # the as-of month is the last month of the marts
    at = page_test(page).run()
    assert not at.exception
    line = f"Data as of {as_of:%d %B %Y} · warehouse built {built_at:%Y-%m-%d %H:%M} UTC"
    assert line in [caption.value for caption in at.caption]


def test_my_pipeline_lists_the_reps_items_with_their_next_step(warehouse: Path) -> None:
    # The page's default rep: the first sales rep with an open lead or deal.
    ((rep,),) = hand_query(
        warehouse,
        "select min(w.user_id) from main.rep_workspace w join main.dim_users u using (user_id)"
        " where u.role = 'sales_rep'",
    )
    at = page_test("my-pipeline").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="my_rep").value == rep
    shown = next(df.value for df in at.dataframe if "next_step" in df.value.columns)
    expected = hand_query(
        warehouse,
        "select item_id, next_step, days_since_last_activity from main.rep_workspace where user_id = ?"
        " order by next_step_priority, item_type, item_id",
        [rep],
    )
    got = [
        (
            row.item_id,
            row.next_step,
            None if pd.isna(row.days_since_last_activity) else int(row.days_since_last_activity),
        )
        for row in shown.itertuples()
    ]
    assert got == [(item, step, days) for item, step, days in expected]
    ((open_leads, open_deals),) = hand_query(
        warehouse,
        "select open_leads, open_opportunities from main.rep_scorecard where user_id = ?"
        " order by month_start desc limit 1",
        [rep],
    )
    assert metric(at, "Open leads")[0] == f"{open_leads:,}"
    assert metric(at, "Open opportunities")[0] == f"{open_deals:,}"
    # Another rep: the list follows the pick.
    other = next(r for r in at.selectbox(key="my_rep").options if r != rep)
    at.selectbox(key="my_rep").select(other).run()
    shown = next(df.value for df in at.dataframe if "next_step" in df.value.columns)
    ((count,),) = hand_query(warehouse, "select count(*) from main.rep_workspace where user_id = ?", [other])
    assert len(shown) == count


def test_forecast_ranges_show_the_latest_simulation_and_the_backtest(warehouse: Path) -> None:
    at = page_test("forecast-ranges").run()
    assert not at.exception, [e.value for e in at.exception]
    expected = hand_query(
        warehouse,
        "select horizon, bookings_p10_usd, bookings_p50_usd, bookings_p90_usd from main.forecast_simulation"
        " where is_latest_forecast and dimension_name = 'all' order by horizon",
    )
    p50_tiles = [m.value for m in at.metric if m.label == "Bookings P50"]
    assert p50_tiles == [usd(p50) for _, _, p50, _ in expected]  # current_quarter, then next_quarter
    assert [m.value for m in at.metric if m.label == "Bookings P10"] == [usd(p10) for _, p10, _, _ in expected]
    # Backtest coverage counted by hand from the past forecasts with actuals (overall, both horizons).
    rows = hand_query(
        warehouse,
        "select actual_bookings_usd between bookings_p10_usd and bookings_p90_usd from main.forecast_simulation"
        " where dimension_name = 'all' and actual_bookings_usd is not null",
    )
    coverage = sum(inside for (inside,) in rows) / len(rows)
    assert metric(at, "Coverage share")[0] == f"{coverage * 100:.1f}%"
    assert metric(at, "Backtested forecasts")[0] == f"{len(rows):,}"
    latest = next(df.value for df in at.dataframe if "rep_entered_forecast_usd" in df.value.columns)
    ((teams,),) = hand_query(
        warehouse,
        "select count(distinct dimension_value) from main.forecast_simulation where dimension_name = 'team'"
        " and is_latest_forecast",
    )
    assert len(latest) == 2 * (teams + 1)


def test_a_long_form_mart_takes_the_first_selected_breakdown_it_holds(warehouse: Path) -> None:
    """win_rates holds rep, team and segment breakdowns one per row: with segment and team selected, a mart read
    takes the segment rows (the first filter in sidebar order) and says team cannot be crossed with it."""
    from crm_warehouse.app.filters import Filters, mart_where

    tier, team = busiest_segment_and_team(warehouse)
    where, unavailable = mart_where("win_rates", Filters(segment=tier, team=team))
    assert where.equals["dimension_value"] == tier
    assert where.equals["dimension_name"] == "segment"
    assert unavailable["team"] == (
        "this chart reads the win_rates mart, which holds one breakdown at a time and shows the segment (account"
        " tier) selected"
    )
    assert "rep" not in unavailable  # held as a breakdown, just not selected
    assert "region" in unavailable  # no region breakdown
    where, _ = mart_where("win_rates", Filters())
    assert (where.equals["dimension_name"], where.equals["dimension_value"]) == ("all", "all")


def test_customer_360_tiles_equal_the_mart_for_the_searched_account(warehouse: Path) -> None:
    # The customer with the highest lifetime revenue, found by searching its name.
    ((account_id, name),) = hand_query(
        warehouse,
        "select account_id, account_name from main.customer_360 where is_customer"
        " order by lifetime_revenue_usd desc nulls last, account_id limit 1",
    )
    at = page_test("customer-360").run()
    assert not at.exception, [e.value for e in at.exception]
    at.text_input(key="c360_search").input(account_id.lower()).run()
    assert at.selectbox(key="c360_account").options == [f"{name} ({account_id})"]
    assert at.selectbox(key="c360_account").value == account_id
    ((row),) = hand_query(
        warehouse,
        "select industry, lifetime_revenue_usd, customer_margin_usd, open_opportunities, open_pipeline_usd,"
        " days_since_last_touch, open_tickets, latest_nps_score, health_score, risk_tier, is_at_risk_high_value,"
        " next_best_offer_product_name from main.customer_360 where account_id = ?",
        [account_id],
    )
    industry, revenue, margin, open_deals, pipeline, days, tickets, nps, health, tier, at_risk, offer = row
    assert metric(at, "Industry")[0] == industry.replace("_", " ").capitalize()
    assert metric(at, "Lifetime revenue")[0] == usd(revenue)
    assert metric(at, "Customer margin")[0] == usd(margin)
    assert metric(at, "Open opportunities")[0] == f"{open_deals:,}"
    assert metric(at, "Open pipeline")[0] == usd(pipeline)
    assert metric(at, "Days since last touch")[0] == f"{days:,}"
    assert metric(at, "Open tickets")[0] == f"{tickets:,}"
    assert metric(at, "Latest NPS answer (0-10)")[0] == ("no data" if nps is None else f"{nps:.1f}")
    assert metric(at, "Health score")[0] == f"{health:.1f}"
    assert metric(at, "Risk tier")[0] == tier.replace("_", " ").capitalize()
    assert metric(at, "At-risk high-value account")[0] == ("yes" if at_risk else "no")
    assert metric(at, "Next best offer")[0] == (offer or "no data")
    # The journey tables are the account's rows of customer_journey and customer_journey_won_deals.
    touches = next(df.value for df in at.dataframe if "touch_seq" in df.value.columns)
    ((count, last_seq),) = hand_query(
        warehouse, "select count(*), max(touch_seq) from main.customer_journey where account_id = ?", [account_id]
    )
    assert len(touches) == count and touches["touch_seq"].iloc[-1] == last_seq
    won = [df.value for df in at.dataframe if "first_touch_type" in df.value.columns]
    won_ids = [
        r
        for (r,) in hand_query(
            warehouse,
            "select opportunity_id from main.customer_journey_won_deals where account_id = ?"
            " order by close_date, opportunity_id",
            [account_id],
        )
    ]
    assert (list(won[0]["opportunity_id"]) if won else []) == won_ids
    # Another account: the tiles follow the pick.
    at.text_input(key="c360_search").input("").run()
    ((other,),) = hand_query(
        warehouse, "select min(account_id) from main.customer_360 where account_id != ?", [account_id]
    )
    at.selectbox(key="c360_account").select(other).run()
    ((other_revenue,),) = hand_query(
        warehouse, "select lifetime_revenue_usd from main.customer_360 where account_id = ?", [other]
    )
    assert at.selectbox(key="c360_account").value == other
    assert metric(at, "Lifetime revenue")[0] == ("no data" if other_revenue is None else usd(other_revenue))


def test_customer_360_team_filter_narrows_the_accounts_to_pick(warehouse: Path) -> None:
    ((team,),) = hand_query(warehouse, "select min(owner_team) from main.customer_360")
    at = page_test("customer-360").run()
    at.selectbox(key="team").select(team).run()
    assert not at.exception, [e.value for e in at.exception]
    expected = hand_query(
        warehouse,
        "select account_name || ' (' || account_id || ')' from main.customer_360 where owner_team = ?"
        " order by account_id",
        [team],
    )
    assert at.selectbox(key="c360_account").options == [name for (name,) in expected]
    assert metric(at, "Owner team")[0] == team  # a display name ('Sales APAC'), shown as it is


def test_trends_show_the_last_complete_month_the_forecast_and_the_backtest(warehouse: Path) -> None:
    at = page_test("trends").run()
    assert not at.exception, [e.value for e in at.exception]
    ((month, actual, previous, growth_yoy),) = hand_query(
        warehouse,
        "select series_month, actual_value, previous_month_value, growth_yoy from main.revenue_trends"
        " where series_name = 'revenue_usd' and is_complete_month order by series_month desc limit 1",
    )
    ((next_month, forecast),) = hand_query(
        warehouse,
        "select series_month, forecast_value from main.revenue_trends where series_name = 'revenue_usd'"
        " and is_forecast order by series_month limit 1",
    )
    change = actual - previous
    assert metric(at, f"Revenue, {month:%B %Y}") == (usd(actual), ("+" if change >= 0 else "-") + usd(abs(change)))
    assert metric(at, "Growth, year over year")[0] == f"{growth_yoy * 100:.1f}%"
    assert metric(at, f"Forecast, {next_month:%B %Y}")[0] == usd(forecast)
    # Backtest errors recomputed by hand from the held-out months of the series.
    held_out = hand_query(
        warehouse,
        "select actual_value, backtest_forecast_value from main.revenue_trends where series_name = 'revenue_usd'"
        " and backtest_forecast_value is not null",
    )
    assert len(held_out) == 6
    mae = sum(abs(a - f) for a, f in held_out) / len(held_out)
    positive = [(a, f) for a, f in held_out if a > 0]
    mape = sum(abs(a - f) / a for a, f in positive) / len(positive)
    assert metric(at, "MAE")[0] == usd(mae)
    assert metric(at, "MAPE")[0] == f"{mape * 100:.1f}%"
    shown = next(df.value for df in at.dataframe if "trend_value" in df.value.columns)
    ((rows,),) = hand_query(warehouse, "select count(*) from main.revenue_trends where series_name = 'revenue_usd'")
    assert len(shown) == rows
    # Another series: the tiles follow the pick (a count, not dollars).
    at.selectbox(key="trend_series").select("won_deals").run()
    assert not at.exception
    ((won_month, won),) = hand_query(
        warehouse,
        "select series_month, actual_value from main.revenue_trends where series_name = 'won_deals'"
        " and is_complete_month order by series_month desc limit 1",
    )
    assert metric(at, f"Won deals, {won_month:%B %Y}")[0] == f"{won:,.0f}"


def test_feedback_tiles_pool_the_account_months_the_filters_keep(warehouse: Path) -> None:
    at = page_test("feedback").run()
    assert not at.exception, [e.value for e in at.exception]
    # The sidebar's default months: the last twelve complete ones (the last KPI month is still running).
    months = [m for (m,) in hand_query(warehouse, "select month_start from main.kpi_overview order by 1")]
    window = [months[-13], months[-2]]
    ((scored, unscored, comment_mean, ticket_mean),) = hand_query(
        warehouse,
        "select sum(scored_comments), sum(unscored_comments),"
        " sum(comment_sentiment_mean * scored_comments) filter (where scored_comments > 0) / sum(scored_comments),"
        " sum(ticket_sentiment_mean * scored_tickets) filter (where scored_tickets > 0) / sum(scored_tickets)"
        " from main.feedback_sentiment where month_start between ? and ?",
        window,
    )
    assert metric(at, "Scored comments")[0] == f"{scored:,}"
    assert metric(at, "Unscored comments")[0] == f"{unscored:,}"
    assert unscored > 0  # the demo's comments in German and Spanish
    assert metric(at, "Comment sentiment")[0] == f"{comment_mean:.2f}"
    assert metric(at, "Ticket sentiment")[0] == f"{ticket_mean:.2f}"
    ((correlation,),) = hand_query(
        warehouse,
        "select sentiment_score_correlation from main.feedback_sentiment_correlation where survey_type = 'nps'",
    )
    assert correlation > 0
    assert metric(at, "Correlation of comment sentiment with the NPS score")[0] == f"{correlation:.2f}"
    # The segment filter keeps that tier's accounts only.
    (tier,) = hand_query(
        warehouse,
        "select account_tier from main.feedback_sentiment group by 1 order by sum(scored_comments) desc, 1 limit 1",
    )[0]
    at.selectbox(key="segment").select(tier).run()
    assert not at.exception
    kept = " from main.feedback_sentiment where account_tier = ? and month_start between ? and ?"
    ((tier_scored, rows),) = hand_query(warehouse, "select sum(scored_comments), count(*)" + kept, [tier, *window])
    assert tier_scored < scored
    assert metric(at, "Scored comments")[0] == f"{tier_scored:,}"
    shown = next(df.value for df in at.dataframe if "account_name" in df.value.columns)
    assert len(shown) == rows


def trace_values(values: object) -> list[object]:
    """A plotly trace's x or y as a list: plain JSON, or the typed-array encoding ({'dtype', 'bdata'})."""
    if isinstance(values, dict) and "bdata" in values:
        import base64

        import numpy as np

        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return list(values)  # type: ignore[call-overload]


def test_clusters_page_shows_the_clusters_of_the_mart(warehouse: Path) -> None:
    at = page_test("clusters").run()
    assert not at.exception, [e.value for e in at.exception]
    ((k, silhouette, customers),) = hand_query(
        warehouse,
        "select any_value(clusters_chosen), any_value(silhouette_score), count(*) from main.behaviour_clusters",
    )
    assert metric(at, "Clusters chosen")[0] == f"{k:,}"
    assert metric(at, "Silhouette score")[0] == f"{silhouette:.2f}"
    assert metric(at, "Customers")[0] == f"{customers:,}"
    # Sizes counted from the per-account mart, not read from the profiles.
    sizes = hand_query(
        warehouse,
        "select cluster_label, count(*), avg(case when is_churned then 1.0 else 0.0 end) from main.behaviour_clusters"
        " group by 1 order by min(cluster_id)",
    )
    assert len(sizes) == k
    spec = json.loads(next(e for e in at.get("plotly_chart")).proto.spec)
    assert spec["layout"]["title"]["text"] == "Accounts per cluster (colour: churn rate)"
    (trace,) = spec["data"]
    shown = list(zip(trace_values(trace["x"]), trace_values(trace["y"]), strict=True))
    assert shown == [(label, count) for label, count, _ in sizes]
    summaries = hand_query(
        warehouse, "select cluster_label, profile_summary from main.behaviour_cluster_profiles order by cluster_id"
    )
    shown_text = [m.value for m in at.markdown]
    assert all(f"**{label}**: {summary}" in shown_text for label, summary in summaries)
    # The profile chart: one trace per cluster, a bar per feature at its standardised centroid.
    centroids = hand_query(
        warehouse,
        "select centroid_z_lifetime_revenue_usd, centroid_z_won_deals, centroid_z_activities,"
        " centroid_z_engagement_events, centroid_z_tickets, centroid_z_products, centroid_z_tenure"
        " from main.behaviour_cluster_profiles order by cluster_id",
    )
    profile_spec = json.loads(at.get("plotly_chart")[1].proto.spec)
    assert profile_spec["layout"]["title"]["text"] == "Cluster profiles: standard deviations from the average customer"
    assert len(profile_spec["data"]) == k
    for trace, centroid in zip(profile_spec["data"], centroids, strict=True):
        assert trace_values(trace["x"]) == [
            "Revenue", "Won deals", "Sales activities", "Engagement", "Tickets", "Products", "Tenure"
        ]  # fmt: skip
        assert trace_values(trace["y"]) == pytest.approx(list(centroid))
    profiles = next(df.value for df in at.dataframe if "cluster_description" in df.value.columns)
    assert profiles["churn_rate"].tolist() == pytest.approx([round(rate, 4) for _, _, rate in sizes])
    # Picking the last cluster lists its accounts, filtered like the mart.
    last = sizes[-1][0]
    at.selectbox(key="cluster_pick").select(last).run()
    members = next(df.value for df in at.dataframe if "account_name" in df.value.columns)
    assert set(members["cluster_label"]) == {last}
    assert len(members) == sizes[-1][1]


def test_churn_drivers_page_says_the_demo_has_too_few_churned_renewals(warehouse: Path) -> None:
    at = page_test("churn-drivers").run()
    assert not at.exception, [e.value for e in at.exception]
    rows = hand_query(warehouse, "select n_obs, n_events, fit_status from main.churn_drivers order by term_order")
    n_obs, n_events, _ = rows[0]
    assert metric(at, "Renewals")[0] == f"{n_obs:,}"
    assert metric(at, "Churned renewals")[0] == f"{n_events:,}"
    # The demo's 47 renewals with 9 churned do not identify 12 terms: nothing estimated, and the page says so.
    assert {status for _, _, status in rows} == {"not_converged"}
    assert metric(at, "Significant terms")[0] == "0"
    assert f"{n_events:,} of {n_obs:,} renewals churned" in at.warning[0].value
    table = next(df.value for df in at.dataframe if "term_label" in df.value.columns)
    assert len(table) == len(rows)


def test_churn_drivers_page_charts_the_odds_ratios_of_a_fitted_model(warehouse: Path, tmp_path: Path) -> None:
    fitted = tmp_path / "fitted.duckdb"
    shutil.copyfile(warehouse, fitted)
    fitted.chmod(0o644)
    with duckdb.connect(str(fitted)) as con:
        # Hand-set estimates: coefficient (term_order - 6) / 4, standard error 0.2; significant when |z| >= 1.96.
        con.execute(
            "update main.churn_drivers set fit_status = 'fitted', coefficient = (term_order - 6) / 4.0,"
            " std_error = 0.2, odds_ratio = exp((term_order - 6) / 4.0),"
            " odds_ratio_ci_low = exp((term_order - 6) / 4.0 - 0.392), odds_ratio_ci_high = exp((term_order - 6) / 4.0"
            " + 0.392), p_value = case when abs(term_order - 6) >= 2 then 0.01 else 0.5 end,"
            " is_significant_5pct = abs(term_order - 6) >= 2"
        )
        con.execute("checkpoint")
    with serving(fitted):
        at = page_test("churn-drivers").run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.warning
    expected = hand_query(
        fitted,
        "select term_label, odds_ratio, is_significant_5pct from main.churn_drivers where term <> 'intercept'"
        " order by term_order",
    )
    assert metric(at, "Significant terms")[0] == f"{sum(sig for _, _, sig in expected):,}"
    spec = json.loads(next(e for e in at.get("plotly_chart")).proto.spec)
    points = {
        label: x
        for trace in spec["data"]
        for label, x in zip(trace_values(trace["y"]), trace_values(trace["x"]), strict=True)
    }
    assert points == pytest.approx({label: ratio for label, ratio, _ in expected})
    # The intercept (term 1, coefficient -1.25) is not charted; the strongest significant driver is the last term.
    strongest = expected[-1]
    assert any(f"Strongest significant driver: {strongest[0]}" in c.value for c in at.caption)
