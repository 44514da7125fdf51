"""Service: response and resolution times, first-contact resolution, escalations, CSAT and NPS trend."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from crm_warehouse.app import components, metrics, queries
from crm_warehouse.app.filters import Filters, mart_where

TITLE = "Service"
ICON = ":material/support_agent:"


def render(filters: Filters) -> None:
    tickets = metrics.fetch("service_tickets", filters)
    components.scope_note(tickets.unavailable, filters)
    if not components.empty(tickets.frame, "ticket months"):
        components.chart(
            px.line(tickets.frame, x="month_start",
                    y=["first_contact_resolution_rate", "sla_compliance_rate"], markers=True,
                    hover_data=["tickets_opened"], title="First-contact resolution and SLA compliance (all channels)"),
            "service_ticket_rates",
            {"tickets_opened": "Tickets opened"},
        )  # fmt: skip
        components.chart(
            px.line(tickets.frame, x="month_start", y="avg_first_response_hours", markers=True,
                    title="First response time (all channels)"),
            "service_first_response",
        )  # fmt: skip
    calls = metrics.fetch("service_calls", filters)
    components.scope_note(calls.unavailable, filters)
    if not components.empty(calls.frame, "call months"):
        components.chart(
            px.line(calls.frame, x="month_start", y="abandoned_call_rate", markers=True,
                    hover_data=["service_calls", "abandoned_calls"], title="Abandoned calls"),
            "service_abandoned",
            {"service_calls": "Calls", "abandoned_calls": "Abandoned calls"},
        )  # fmt: skip
    st.subheader("By support channel")
    channel = st.selectbox("Support channel", queries.distinct("support_performance", "channel"), key="channel")
    where, unavailable = mart_where("support_performance", filters, channel=channel)
    support = queries.select("support_performance", where=where, order_by=["month_start"])
    components.scope_note(unavailable, filters)
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
    perception = metrics.fetch("service_perception", filters)
    components.scope_note(perception.unavailable, filters)
    if not components.empty(perception.frame, "survey responses"):
        frame = perception.frame
        components.chart(
            px.line(frame, x="month_start", y="nps", markers=True, hover_data=["nps_responses"], title="NPS"),
            "service_nps",
            {"nps_responses": "NPS answers"},
        )
        components.chart(px.line(frame, x="month_start", y="csat_mean", markers=True, title="CSAT"), "service_csat")
        components.chart(px.line(frame, x="month_start", y="ces_mean", markers=True, title="CES"), "service_ces")
    where, unavailable = mart_where("customer_perception", filters)
    table = queries.select("customer_perception", where=where, order_by=["month_start"])
    components.scope_note(unavailable, filters)
    if not components.empty(table, "survey months"):
        components.table(table, "customer_perception", "customer_perception")
