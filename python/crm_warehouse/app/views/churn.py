"""Churn: monthly logo churn, cohort retention heatmap, MRR bridge and at-risk accounts with health scores."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from crm_warehouse.app import components, metrics, queries
from crm_warehouse.app.filters import Filters, mart_where

TITLE = "Churn"
ICON = ":material/person_remove:"
BRIDGE = ["expansion_mrr_usd", "contraction_mrr_usd", "churned_mrr_usd"]


def render(filters: Filters) -> None:
    logos = metrics.fetch("churn_logos", filters)
    components.scope_note(logos.unavailable, filters)
    if not components.empty(logos.frame, "months"):
        components.chart(
            px.line(logos.frame, x="month_start", y="logo_churn_rate", markers=True,
                    hover_data=["customers_churned", "customers_active_at_start"], title="Logo churn"),
            "churn_monthly",
            {"customers_churned": "Customers churned", "customers_active_at_start": "Customers at start"},
        )  # fmt: skip
    retention = metrics.fetch("churn_retention", filters)
    components.scope_note(retention.unavailable, filters)
    if not components.empty(retention.frame, "MRR months"):
        components.chart(
            px.line(retention.frame, x="month_start",
                    y=["net_revenue_retention", "gross_revenue_retention", "net_revenue_retention_ttm",
                       "gross_revenue_retention_ttm"],
                    markers=True, title="Revenue retention (monthly and trailing twelve months)"),
            "churn_retention",
        )  # fmt: skip
    bridge = metrics.fetch("churn_bridge", filters)
    components.scope_note(bridge.unavailable, filters)
    if not components.empty(bridge.frame, "MRR months"):
        # Churn and contraction are stored as positive amounts; plot them below zero for a bridge.
        frame = bridge.frame
        plotted = frame.assign(
            contraction_mrr_usd=-frame["contraction_mrr_usd"], churned_mrr_usd=-frame["churned_mrr_usd"]
        )
        components.chart(
            px.bar(plotted, x="month_start", y=BRIDGE, barmode="relative", title="MRR movements"), "churn_bridge"
        )
    where, unavailable = mart_where("cohort_retention", filters)
    cohorts = queries.select("cohort_retention", where=where, order_by=["cohort_month", "months_since_first_purchase"])
    components.scope_note(unavailable, filters)
    if not components.empty(cohorts, "cohorts"):
        grid = cohorts.pivot(index="cohort_month", columns="months_since_first_purchase", values="retention_share")
        grid.index = [f"{m:%Y-%m}" for m in grid.index]
        components.chart(
            px.imshow(
                grid,
                aspect="auto",
                color_continuous_scale="Blues",
                labels={"x": "months since first purchase", "y": "cohort", "color": "retention"},
                title="Cohort retention",
            ),
            "churn_cohorts",
        )
        components.table(cohorts, "cohort_retention", "cohort_retention")
    st.subheader("At-risk high-value accounts")
    st.caption(
        "Listed: health tier at_risk with a top value or MRR decile, or high predicted value with a low P(alive)"
        " (is_high_value_low_p_alive; p_alive is the BG/NBD probability the customer is still active). Column"
        " headers give the definitions; p_alive is empty when the model is not fitted (Segments page says why)."
    )
    where, unavailable = mart_where("at_risk_accounts", filters)
    components.scope_note(unavailable, filters)
    at_risk = queries.select("at_risk_accounts", where=where, order_by=["outreach_rank"])
    if not components.empty(at_risk, "at-risk accounts"):
        components.table(at_risk, "at_risk_accounts", "at_risk_accounts")
    where, unavailable = mart_where("customer_health", filters)
    health = queries.select("customer_health", where=where)
    components.scope_note(unavailable, filters)
    if not components.empty(health, "customers"):
        components.chart(
            px.scatter(
                health,
                x="health_score",
                y="lifetime_revenue_usd",
                color="risk_tier",
                hover_data=["account_name", "owner_team"],
                title="Customer health vs lifetime revenue",
            ),
            "churn_health",
        )
        components.table(health, "customer_health", "customer_health")
