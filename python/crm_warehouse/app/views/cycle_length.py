"""Cycle length: won-deal cycle distribution, stage durations and the bottleneck stage."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from crm_warehouse.app import components, metrics, queries
from crm_warehouse.app.filters import Filters, mart_where

TITLE = "Cycle length"
ICON = ":material/timelapse:"


def render(filters: Filters) -> None:
    where, unavailable = mart_where("sales_cycle_deals", filters)
    deals = queries.select("sales_cycle_deals", where=where, order_by=["close_date"])
    st.subheader("Won deals: days from created to close")
    components.scope_note(unavailable, filters)
    if not components.empty(deals, "won deals"):
        components.chart(
            px.histogram(deals, x="cycle_days", nbins=30, title="Cycle length distribution (days)"),
            "cycle_hist",
            {"count": "Won deals"},
        )
        components.table(deals, "sales_cycle_deals", "sales_cycle_deals")
    cycle = metrics.fetch("cycle_trend", filters)
    components.scope_note(cycle.unavailable, filters)
    if not components.empty(cycle.frame, "won deals"):
        components.chart(
            px.line(cycle.frame, x="month_start", y=["mean_sales_cycle_days", "median_sales_cycle_days"],
                    markers=True, hover_data=["won_deals"], title="Cycle length per close month"),
            "cycle_trend",
            {"month_start": "Close month", "won_deals": "Won deals"},
        )  # fmt: skip
    where, unavailable = mart_where("stage_durations", filters, dates=False, period_grain="all_time")
    stages = queries.select("stage_durations", where=where, order_by=["stage_order"])
    st.subheader("Days in stage (all time)")
    components.scope_note(unavailable, filters)
    if not components.empty(stages, "completed stage stays"):
        stages = stages.assign(bottleneck=stages["is_bottleneck"].map({True: "bottleneck", False: "other"}))
        components.chart(
            px.bar(
                stages,
                x="stage",
                y="avg_days_in_stage",
                color="bottleneck",
                hover_data=["median_days_in_stage", "p90_days_in_stage", "completed_stays"],
                title="Average days in stage (the bottleneck highlighted)",
            ),
            "cycle_stages",
        )
        components.table(stages.drop(columns="bottleneck"), "stage_durations", "stage_durations")
