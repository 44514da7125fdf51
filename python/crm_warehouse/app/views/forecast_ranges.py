"""Forecast ranges: the simulated bookings of the open deals for the current and next quarter (P10 / P50 / P90,
overall and per team) from forecast_simulation, and how often past ranges held the actuals
(forecast_simulation_backtest). Every number is a mart value."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from crm_warehouse.app import components, labels, queries
from crm_warehouse.app.definitions import describe
from crm_warehouse.app.filters import Filters, mart_where
from crm_warehouse.app.queries import Where

TITLE = "Forecast ranges"
ICON = ":material/candlestick_chart:"
HORIZON_NAMES = {"current_quarter": "Current quarter", "next_quarter": "Next quarter"}
RANGE = ["bookings_p10_usd", "bookings_p50_usd", "bookings_p90_usd"]
TABLE_COLUMNS = [
    "horizon",
    "quarter_start",
    "window_start",
    "window_end",
    "dimension_name",
    "dimension_value",
    "open_opportunities",
    "pipeline_value_usd",
    *RANGE,
    "expected_bookings_usd",
    "rep_entered_forecast_usd",
    "draws",
]


def render(filters: Filters) -> None:
    where, unavailable = mart_where("forecast_simulation", filters, dates=False, is_latest_forecast=True)
    overall = queries.select("forecast_simulation", where=where, order_by=["horizon"])
    if components.empty(overall, "forecasts"):
        return
    latest = queries.select(
        "forecast_simulation",
        where=Where(equals={"is_latest_forecast": True}),
        order_by=["horizon", "dimension_name", "dimension_value"],
    )
    snapshot = overall["snapshot_date"].iloc[0]
    st.caption(
        f"Bookings the deals open on {snapshot:%d %B %Y} should bring: a Monte Carlo of"
        f" {int(overall['draws'].iloc[0]):,} draws, each deal won with the win rate of its stage and age in history"
        " and closing after a time drawn from the same history. P10: a 90% chance of booking at least this;"
        " P90: a 10% chance of more."
    )
    components.scope_note(unavailable, filters)
    for _, row in overall.iterrows():
        st.subheader(
            f"{HORIZON_NAMES[row['horizon']]} (from {row['window_start']:%d %b} to {row['window_end']:%d %b %Y})"
        )
        tiles = [*RANGE, "rep_entered_forecast_usd"]
        for column, name in zip(st.columns(len(tiles)), tiles, strict=True):
            with column:
                st.metric(
                    labels.plain(name),
                    components.format_value(row[name], "usd"),
                    help=describe("forecast_simulation", name),
                    border=True,
                )
    ranges = px.bar(
        latest.assign(horizon=latest["horizon"].map(HORIZON_NAMES)),
        x="dimension_value",
        y=RANGE,
        facet_col="horizon",
        barmode="group",
        title="Bookings range per team and overall",
    )
    ranges.for_each_annotation(lambda note: note.update(text=note.text.split("=", 1)[-1]))  # "Current quarter"
    components.chart(
        ranges,
        "forecast_ranges_teams",
        {"dimension_value": "Team", "horizon": "Horizon"},
    )
    components.table(latest[TABLE_COLUMNS], "forecast_simulation", "forecast_ranges_latest", "Latest forecast")

    st.subheader("Backtest: how often past ranges held the actuals")
    backtest = queries.select("forecast_simulation_backtest", order_by=["dimension_name", "dimension_value", "horizon"])
    pooled = backtest[(backtest["horizon"] == "all") & (backtest["dimension_name"] == "all")]
    if not pooled.empty:
        row = pooled.iloc[0]
        tiles = [("coverage_share", "rate"), ("backtested_forecasts", "number"), ("actuals_below_p10", "number"),
                 ("actuals_above_p90", "number")]  # fmt: skip
        for column, (name, kind) in zip(st.columns(len(tiles)), tiles, strict=True):
            with column:
                st.metric(
                    labels.plain(name),
                    components.format_value(row[name], kind),
                    help=describe("forecast_simulation_backtest", name),
                    border=True,
                )
        st.caption(
            "P10 to P90 is an 80% range: about 8 in 10 past quarters should fall inside it (70-90% is the target;"
            " far more means the range is too wide, far fewer too narrow)."
        )
    past = queries.select(
        "forecast_simulation",
        where=Where(equals={"dimension_name": "all", "horizon": "current_quarter"}),
        order_by=["snapshot_date"],
    )
    past = past[past["actual_bookings_usd"].notna()]
    if not components.empty(past, "past forecasts with actuals"):
        components.chart(
            px.line(
                past,
                x="snapshot_date",
                y=[*RANGE, "actual_bookings_usd"],
                markers=True,
                title="Current-quarter range at each month end vs the actual bookings",
            ),
            "forecast_ranges_backtest",
        )
    if not backtest.empty:
        components.table(backtest, "forecast_simulation_backtest", "forecast_ranges_backtest_table", "Backtest")
