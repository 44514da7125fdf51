"""Segments: RFM grid, segment table and the revenue Pareto curve."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from crm_warehouse.app import components, labels, queries
from crm_warehouse.app.filters import Filters, mart_where
from crm_warehouse.app.queries import Where

TITLE = "Segments"
ICON = ":material/group_work:"


def render(filters: Filters) -> None:
    where, unavailable = mart_where("customer_segments", filters)
    customers = queries.select("customer_segments", where=where)
    st.subheader("RFM grid")
    components.scope_note(unavailable, filters)
    if not components.empty(customers, "customers"):
        components.chart(
            px.density_heatmap(
                customers,
                x="r_score",
                y="f_score",
                z="monetary_usd",
                histfunc="sum",
                title="Revenue by recency (R) and frequency (F) score",
                text_auto=",.0f",
            ),
            "segments_rfm",
        )
        components.table(customers, "customer_segments", "customer_segments", "Customers")
    st.subheader("Predicted customer value (BG/NBD x Gamma-Gamma)")
    st.caption(
        "probabilistic_clv_usd and predicted_value_decile come from the fitted models below; the column headers"
        " give their definitions. They are empty when the fit is not 'fitted' (the reason is shown)."
    )
    fit = queries.select("customer_value_model_parameters")
    if not components.empty(fit, "fitted models"):
        if fit["fit_status"].iloc[0] != "fitted":
            st.warning(f"Predicted value not available: {fit['fit_reason'].iloc[0]}")
        components.table(fit, "customer_value_model_parameters", "customer_value_model_parameters", "Model fit")
    dimension = st.selectbox(
        "Segment table by",
        ["rfm_segment", "account_tier", "region", "industry", "size_band", "value_decile"],
        key="segment_dimension",
    )
    st.caption("The segment summary and the Pareto curve cover every customer, all time (no sidebar filter).")
    summary = queries.select("segment_summary", where=Where(equals={"dimension_name": dimension}))
    if not components.empty(summary, "segments"):
        components.chart(
            px.bar(summary, x="dimension_value", y="revenue_usd", hover_data=["customers"], title="Revenue by segment"),
            "segments_summary",
            {"dimension_value": labels.plain(dimension)},
        )
        components.table(summary, "segment_summary", "segment_summary", "Segment summary (all time)")
    pareto = queries.select("pareto_curve", order_by=["customer_rank"])
    if not components.empty(pareto, "customers"):
        components.chart(
            px.line(
                pareto,
                x="customer_rank_share",
                y="cumulative_revenue_share",
                title="Pareto curve: share of revenue from the top share of customers",
            ),
            "segments_pareto",
        )
        components.table(pareto, "pareto_curve", "pareto_curve", "Pareto curve")
