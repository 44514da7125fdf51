"""Profitability: customer margin distribution, CLV vs CAC by acquisition channel, monthly revenue."""

from __future__ import annotations

import plotly.express as px

from crm_warehouse.app import components, queries
from crm_warehouse.app.filters import Filters, applied_note, where_for
from crm_warehouse.app.queries import Where

TITLE = "Profitability"
ICON = ":material/payments:"


def render(filters: Filters) -> None:
    components.note(applied_note("customer_profitability", filters))
    customers = queries.select("customer_profitability", where=Where(equals={"is_customer": True}))
    if not components.empty(customers, "customers"):
        components.chart(
            px.histogram(customers, x="customer_margin_usd", nbins=40, title="Customer margin distribution (USD)"),
            "profit_margin",
            {"count": "Customers"},
        )
        components.table(customers, "customer_profitability", "customer_profitability", "Customer profitability")
    channels = queries.select(
        "acquisition_cost",
        where=where_for("acquisition_cost", filters, attribution_level="channel"),
        order_by=["month_start", "channel"],
    )
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
    revenue = queries.select("revenue_monthly", where=where_for("revenue_monthly", filters), order_by=["month_start"])
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
