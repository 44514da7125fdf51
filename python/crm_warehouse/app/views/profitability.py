"""Profitability: customer margin distribution, CLV vs CAC by acquisition channel, monthly revenue."""

from __future__ import annotations

import plotly.express as px

from crm_warehouse.app import components, metrics, queries
from crm_warehouse.app.filters import Filters, mart_where

TITLE = "Profitability"
ICON = ":material/payments:"


def render(filters: Filters) -> None:
    where, unavailable = mart_where("customer_profitability", filters, is_customer=True)
    components.scope_note(unavailable, filters)
    customers = queries.select("customer_profitability", where=where)
    if not components.empty(customers, "customers"):
        components.chart(
            px.histogram(customers, x="customer_margin_usd", nbins=40, title="Customer margin distribution (USD)"),
            "profit_margin",
            {"count": "Customers"},
        )
        components.table(customers, "customer_profitability", "customer_profitability", "Customer profitability")
    acquisition = metrics.fetch("profitability_acquisition", filters)
    components.scope_note(acquisition.unavailable, filters)
    if not components.empty(acquisition.frame, "acquisition months"):
        components.chart(
            px.line(acquisition.frame, x="month_start", y=["cac_usd"], markers=True,
                    hover_data=["acquisition_spend_usd", "new_customers_acquired"], title="CAC per month"),
            "profit_cac",
            {"new_customers_acquired": "New customers"},
        )  # fmt: skip
        components.chart(
            px.line(acquisition.frame, x="month_start", y="clv_to_cac_ratio", markers=True, title="CLV : CAC"),
            "profit_clv_to_cac",
        )
    where, unavailable = mart_where("acquisition_cost", filters, attribution_level="channel")
    channels = queries.select("acquisition_cost", where=where, order_by=["month_start", "channel"])
    components.scope_note(unavailable, filters)
    if not components.empty(channels, "acquisition months"):
        components.chart(
            px.scatter(
                channels,
                x="cac_usd",
                y="avg_predictive_clv_usd",
                color="channel",
                size="new_customers",
                hover_data=["month_start", "clv_to_cac_ratio"],
                title="CLV vs CAC by acquisition channel and month",
            ),
            "profit_clv_cac",
        )
        components.table(channels, "acquisition_cost", "acquisition_cost", "CAC and CLV : CAC by channel")
    totals = metrics.fetch("profitability_revenue", filters)
    components.scope_note(totals.unavailable, filters)
    if not components.empty(totals.frame, "revenue months"):
        components.chart(
            px.bar(totals.frame, x="month_start", y=["revenue_usd", "gross_margin_usd"], barmode="group",
                   hover_data=["completed_orders", "average_purchase_value_usd"], title="Revenue and gross margin"),
            "profit_margin_monthly",
            {"completed_orders": "Completed orders"},
        )  # fmt: skip
    where, unavailable = mart_where("revenue_monthly", filters)
    revenue = queries.select("revenue_monthly", where=where, order_by=["month_start"])
    components.scope_note(unavailable, filters)
    if not components.empty(revenue, "revenue months"):
        components.chart(
            px.bar(
                revenue,
                x="month_start",
                y=["net_new_revenue_usd", "renewal_revenue_usd", "repeat_revenue_usd"],
                title="Revenue by type",
            ),
            "profit_revenue",
        )
        components.table(revenue, "revenue_monthly", "revenue_monthly", "Revenue per month")
