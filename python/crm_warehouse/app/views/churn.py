"""Churn: monthly logo churn, cohort retention heatmap, MRR bridge and at-risk accounts with health scores."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from crm_warehouse.app import components, queries
from crm_warehouse.app.filters import Filters, applied_note, where_for

TITLE = "Churn"
ICON = ":material/person_remove:"
BRIDGE = ["new_mrr_usd", "expansion_mrr_usd", "reactivation_mrr_usd", "contraction_mrr_usd", "churned_mrr_usd"]


def render(filters: Filters) -> None:
    components.note(applied_note("customer_churn", filters))
    churn = queries.select("customer_churn", where=where_for("customer_churn", filters), order_by=["month_start"])
    if not components.empty(churn, "months"):
        components.chart(
            px.line(churn, x="month_start", y=["logo_churn_rate", "retention_rate"], markers=True, title="Logo churn"),
            "churn_monthly",
        )
        components.table(churn, "customer_churn", "customer_churn")
    cohorts = queries.select(
        "cohort_retention",
        where=where_for("cohort_retention", filters),
        order_by=["cohort_month", "months_since_first_purchase"],
    )
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
    bridge = queries.select(
        "revenue_retention", where=where_for("revenue_retention", filters), order_by=["month_start"]
    )
    if not components.empty(bridge, "MRR months"):
        # Churn and contraction are stored as positive amounts; plot them below zero for a bridge.
        plotted = bridge.assign(
            contraction_mrr_usd=-bridge["contraction_mrr_usd"], churned_mrr_usd=-bridge["churned_mrr_usd"]
        )
        components.chart(
            px.bar(plotted, x="month_start", y=BRIDGE, barmode="relative", title="MRR bridge"), "churn_bridge"
        )
        components.table(bridge, "revenue_retention", "revenue_retention")
    st.subheader("At-risk high-value accounts")
    st.caption(
        "Listed: health tier at_risk with a top value or MRR decile, or high predicted value with a low P(alive)"
        " (is_high_value_low_p_alive; p_alive is the BG/NBD probability the customer is still active). Column"
        " headers give the definitions; p_alive is empty when the model is not fitted (Segments page says why)."
    )
    components.note(applied_note("at_risk_accounts", filters))
    at_risk = queries.select(
        "at_risk_accounts", where=where_for("at_risk_accounts", filters), order_by=["outreach_rank"]
    )
    if not components.empty(at_risk, "at-risk accounts"):
        components.table(at_risk, "at_risk_accounts", "at_risk_accounts")
    health = queries.select("customer_health", where=where_for("customer_health", filters))
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
