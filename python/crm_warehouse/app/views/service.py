"""Service: response and resolution times, first-contact resolution, escalations, CSAT and NPS trend."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from crm_warehouse.app import components, queries
from crm_warehouse.app.filters import Filters, applied_note, where_for

TITLE = "Service"
ICON = ":material/support_agent:"


def render(filters: Filters) -> None:
    channel = st.selectbox("Support channel", queries.distinct("support_performance", "channel"), key="channel")
    support = queries.select(
        "support_performance",
        where=where_for("support_performance", filters, channel=channel),
        order_by=["month_start"],
    )
    components.note(applied_note("support_performance", filters))
    if not components.empty(support, "support months"):
        components.chart(
            px.line(
                support,
                x="month_start",
                y=["avg_first_response_hours", "avg_resolution_hours", "median_resolution_hours"],
                markers=True,
                title="Response and resolution time (hours)",
            ),
            "service_times",
        )
        components.chart(
            px.line(
                support,
                x="month_start",
                y=["first_contact_resolution_rate", "escalation_rate", "sla_compliance_rate"],
                markers=True,
                title="First-contact resolution, escalations, SLA",
            ),
            "service_rates",
        )
        components.table(support, "support_performance", "support_performance")
    st.subheader("Customer perception")
    components.note(applied_note("customer_perception", filters))
    perception = queries.select(
        "customer_perception", where=where_for("customer_perception", filters), order_by=["month_start"]
    )
    if not components.empty(perception, "survey responses"):
        components.chart(px.line(perception, x="month_start", y="nps", markers=True, title="NPS"), "service_nps")
        components.chart(
            px.line(perception, x="month_start", y="csat_mean", markers=True, title="CSAT (mean, 1-5)"), "service_csat"
        )
        components.table(perception, "customer_perception", "customer_perception")
