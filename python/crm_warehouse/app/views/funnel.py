"""Funnel: lead funnel per month, opportunity stage funnel, win rate by lead source and by rep."""

from __future__ import annotations

import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from crm_warehouse.app import components, queries
from crm_warehouse.app.filters import Filters, applied_note, where_for

TITLE = "Funnel"
ICON = ":material/filter_alt:"


def render(filters: Filters) -> None:
    leads = queries.select("lead_funnel", where=where_for("lead_funnel", filters), order_by=["month_start"])
    st.subheader("Lead funnel")
    components.note(applied_note("lead_funnel", filters))
    if not components.empty(leads, "leads"):
        components.chart(
            px.bar(
                leads,
                x="month_start",
                y=["new_leads", "qualified_leads", "converted_leads", "paying_customer_leads"],
                barmode="group",
                title="Leads per month of creation",
            ),
            "funnel_leads",
            {"value": "Leads"},
        )
        components.table(leads, "lead_funnel", "lead_funnel")
    stages = queries.select(
        "opportunity_funnel",
        where=where_for("opportunity_funnel", filters, funnel="opportunity_stages"),
        order_by=["cohort_month", "step_order"],
    )
    st.subheader("Opportunity funnel")
    if not components.empty(stages, "opportunity cohorts"):
        # entered_count is additive across cohorts: the funnel over the selected months is its sum per step.
        steps = stages.groupby(["step_order", "step_name"], as_index=False)["entered_count"].sum()
        components.chart(
            go.Figure(go.Funnel(y=steps["step_name"], x=steps["entered_count"], textinfo="value")),
            "funnel_opportunities",
        )
        components.table(stages, "opportunity_funnel", "opportunity_funnel", "Stage conversion per cohort month")
    for dimension, label in (("source", "lead source"), ("rep", "rep")):
        rates = queries.select(
            "win_rates",
            where=_win_rate_where(filters, dimension),
            order_by=["period_start", "dimension_value"],
        )
        st.subheader(f"Win rate by {label} (per quarter)")
        if components.empty(rates, "closed deals"):
            continue
        components.chart(
            px.bar(
                rates,
                x="period_start",
                y="win_rate",
                color="dimension_value",
                barmode="group",
                hover_data=["closed_deals", "won_deals"],
            ),
            f"funnel_win_{dimension}",
            {
                "period_start": "Quarter",
                "dimension_value": label.capitalize(),
                "closed_deals": "Closed deals",
                "won_deals": "Won deals",
            },
        )
        components.table(rates, "win_rates", f"win_rates_{dimension}")


def _win_rate_where(filters: Filters, dimension: str) -> queries.Where:
    # A breakdown by source or rep cannot be crossed with the other filters: only the date range applies.
    return queries.Where(
        equals={"period_grain": "quarter", "dimension_name": dimension},
        between={"period_start": (filters.start, filters.end)},
    )
