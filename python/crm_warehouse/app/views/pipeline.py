"""Pipeline and forecast: open and weighted pipeline, coverage, won vs quota, velocity, forecast vs actuals."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from crm_warehouse.app import components, metrics, queries
from crm_warehouse.app.filters import Filters, mart_where

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
    pipe = metrics.fetch("pipeline_open", filters)
    components.scope_note(pipe.unavailable, filters)
    if not components.empty(pipe.frame, "pipeline snapshots"):
        components.chart(
            px.line(
                pipe.frame,
                x="month_start",
                y=["open_pipeline_usd", "weighted_pipeline_usd", "next_month_quota_usd"],
                markers=True,
                title="Open and weighted pipeline at month end vs next month's quota",
            ),
            "pipeline_value",
        )
        components.chart(
            px.bar(pipe.frame, x="month_start", y="pipeline_coverage_ratio", title="Pipeline coverage"),
            "pipeline_coverage",
        )
    goals = metrics.fetch("pipeline_goals", filters)
    st.subheader("Won vs quota")
    components.scope_note(goals.unavailable, filters)
    if not components.empty(goals.frame, "months"):
        components.chart(
            px.bar(goals.frame, x="month_start", y=["won_amount_usd", "quota_usd"], barmode="group",
                   title="Won vs quota"),
            "pipeline_goals",
        )  # fmt: skip
        components.chart(
            px.line(goals.frame, x="month_start", y="attainment_ratio", markers=True, title="Quota attainment"),
            "pipeline_attainment",
        )
    where, unavailable = mart_where("pipeline", filters)
    velocity = queries.select("pipeline", where=where, order_by=["month_start"])
    st.subheader("Pipeline velocity")
    components.scope_note(unavailable, filters)
    if not components.empty(velocity, "pipeline snapshots"):
        components.chart(
            px.bar(
                velocity, x="month_start", y="pipeline_velocity_usd_per_day", title="Pipeline velocity (USD per day)"
            ),
            "pipeline_velocity",
        )
        components.table(velocity, "pipeline", "pipeline")
    where, unavailable = mart_where("forecast", filters, months_ahead=1)
    forecast = queries.select("forecast", where=where, order_by=["target_month_start"])
    st.subheader("Forecast one month ahead vs quota and actuals (company total)")
    components.scope_note(unavailable, filters)
    if not components.empty(forecast, "forecasts"):
        components.chart(
            px.line(forecast, x="target_month_start", y=FORECAST_SERIES, markers=True, title="Forecast vs quota"),
            "pipeline_forecast",
        )
        components.table(forecast, "forecast", "forecast")
