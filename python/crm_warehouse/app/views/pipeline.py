"""Pipeline and forecast: open and weighted pipeline, velocity, forecast and actuals vs quota."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from crm_warehouse.app import components, queries
from crm_warehouse.app.filters import Filters, applied_note, where_for

TITLE = "Pipeline and forecast"
ICON = ":material/trending_up:"
FORECAST_SERIES = [
    "expected_revenue_usd",
    "expected_revenue_p10_usd",
    "expected_revenue_p90_usd",
    "quota_usd",
    "actual_won_amount_usd",
]


def render(filters: Filters) -> None:
    pipe = queries.select("pipeline", where=where_for("pipeline", filters), order_by=["month_start"])
    components.note(applied_note("pipeline", filters))
    if not components.empty(pipe, "pipeline snapshots"):
        components.chart(
            px.line(
                pipe,
                x="month_start",
                y=["pipeline_value_usd", "weighted_pipeline_usd", "next_month_quota_usd"],
                markers=True,
                title="Open and weighted pipeline at month end vs next month's quota",
            ),
            "pipeline_value",
        )
        components.chart(
            px.bar(pipe, x="month_start", y="pipeline_velocity_usd_per_day", title="Pipeline velocity (USD per day)"),
            "pipeline_velocity",
        )
        components.table(pipe, "pipeline", "pipeline")
    goals = queries.select("goal_attainment", where=where_for("goal_attainment", filters), order_by=["month_start"])
    st.subheader("Won vs quota")
    if not components.empty(goals, "months"):
        components.chart(
            px.bar(goals, x="month_start", y=["won_amount_usd", "quota_usd"], barmode="group", title="Won vs quota"),
            "pipeline_goals",
        )
        components.table(goals, "goal_attainment", "goal_attainment")
    forecast = queries.select(
        "forecast", where=where_for("forecast", filters, months_ahead=1), order_by=["target_month_start"]
    )
    st.subheader("Forecast one month ahead vs quota and actuals (company total)")
    components.note(applied_note("forecast", filters))
    if not components.empty(forecast, "forecasts"):
        components.chart(
            px.line(
                forecast,
                x="target_month_start",
                y=FORECAST_SERIES,
                markers=True,
                title="Forecast vs quota",
            ),
            "pipeline_forecast",
        )
        components.table(forecast, "forecast", "forecast")
