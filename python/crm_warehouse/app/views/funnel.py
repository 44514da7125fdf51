"""Funnel: leads per month, the opportunity stage funnel, win rate by lead source and by rep."""

from __future__ import annotations

import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from crm_warehouse.app import components, metrics, queries
from crm_warehouse.app.filters import Filters, mart_where

TITLE = "Funnel"
ICON = ":material/filter_alt:"


def render(filters: Filters) -> None:
    leads = metrics.fetch("funnel_leads", filters)
    st.subheader("Lead funnel")
    components.scope_note(leads.unavailable, filters)
    if not components.empty(leads.frame, "leads"):
        components.chart(
            px.bar(leads.frame, x="month_start", y=["new_leads", "converted_leads"], barmode="group",
                   title="Leads per month of creation"),
            "funnel_leads",
            {"value": "Leads"},
        )  # fmt: skip
        components.chart(
            px.line(leads.frame, x="month_start", y="lead_conversion_rate", markers=True, title="Lead conversion"),
            "funnel_conversion",
        )
    response = metrics.fetch("funnel_lead_response", filters)
    components.scope_note(response.unavailable, filters)
    if not components.empty(response.frame, "leads with a response"):
        components.chart(
            px.line(response.frame, x="month_start", y=["mean_lead_response_hours", "median_lead_response_hours"],
                    markers=True, title="Lead response time"),
            "funnel_response",
        )  # fmt: skip
    where, unavailable = mart_where("lead_funnel", filters)
    lead_funnel = queries.select("lead_funnel", where=where, order_by=["month_start"])
    components.scope_note(unavailable, filters)
    if not components.empty(lead_funnel, "lead months"):
        components.table(lead_funnel, "lead_funnel", "lead_funnel", "Lead funnel per month (all leads)")
    where, unavailable = mart_where("opportunity_funnel", filters, funnel="opportunity_stages")
    stages = queries.select("opportunity_funnel", where=where, order_by=["cohort_month", "step_order"])
    st.subheader("Opportunity funnel")
    components.scope_note(unavailable, filters)
    if not components.empty(stages, "opportunity cohorts"):
        # entered_count is additive across cohorts: the funnel over the selected months is its sum per step.
        steps = stages.groupby(["step_order", "step_name"], as_index=False)["entered_count"].sum()
        components.chart(
            go.Figure(
                go.Funnel(y=steps["step_name"], x=steps["entered_count"], textinfo="value"),
                layout={"title": {"text": "Opportunity stages (deals entering each stage)"}},
            ),
            "funnel_opportunities",
        )
        components.table(stages, "opportunity_funnel", "opportunity_funnel", "Stage conversion per cohort month")
    for query, column, label in (
        ("funnel_win_rate_by_source", "lead_source", "Lead source"),
        ("funnel_win_rate_by_rep", "owner_user_id", "Rep"),
    ):
        rates = metrics.fetch(query, filters)
        st.subheader(f"Win rate by {label.lower()} (per quarter)")
        components.scope_note(rates.unavailable, filters)
        if components.empty(rates.frame, "closed deals"):
            continue
        components.chart(
            px.bar(rates.frame, x="period_start", y="win_rate", color=column, barmode="group",
                   hover_data=["closed_deals", "won_deals"]),
            query,
            {"period_start": "Quarter", column: label, "closed_deals": "Closed deals", "won_deals": "Won deals"},
        )  # fmt: skip
