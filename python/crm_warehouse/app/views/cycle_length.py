"""Cycle length: won-deal cycle distribution, stage durations and the bottleneck stage."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from crm_warehouse.app import components, queries
from crm_warehouse.app.filters import Filters, applied_note, where_for

TITLE = "Cycle length"
ICON = ":material/timelapse:"


def render(filters: Filters) -> None:
    deals = queries.select("sales_cycle_deals", where=where_for("sales_cycle_deals", filters), order_by=["close_date"])
    st.subheader("Won deals: days from created to close")
    components.note(applied_note("sales_cycle_deals", filters))
    if not components.empty(deals, "won deals"):
        components.chart(
            px.histogram(deals, x="cycle_days", nbins=30, title="Cycle length distribution (days)"),
            "cycle_hist",
            {"count": "Won deals"},
        )
        components.table(deals, "sales_cycle_deals", "sales_cycle_deals")
    cycle = queries.select(
        "sales_cycle", where=where_for("sales_cycle", filters, period_grain="month"), order_by=["period_start"]
    )
    if not components.empty(cycle, "won deals"):
        components.chart(
            px.line(
                cycle,
                x="period_start",
                y=["mean_cycle_days", "median_cycle_days", "p90_cycle_days"],
                markers=True,
                title="Cycle length per close month",
            ),
            "cycle_trend",
            {"period_start": "Close month"},
        )
        components.table(cycle, "sales_cycle", "sales_cycle")
    stages = queries.select(
        "stage_durations",
        where=where_for("stage_durations", filters, dates=False, period_grain="all_time"),
        order_by=["stage_order"],
    )
    st.subheader("Days in stage (all time)")
    components.note(applied_note("stage_durations", filters))
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
