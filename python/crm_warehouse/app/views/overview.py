"""Overview: headline KPIs of the last selected month with month-over-month deltas (all from kpi_overview)."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from crm_warehouse.app import components, labels, queries
from crm_warehouse.app.definitions import describe
from crm_warehouse.app.filters import Filters, applied_note, where_for
from crm_warehouse.app.queries import Where

TITLE = "Overview"
ICON = ":material/dashboard:"
MART = "kpi_overview"
# (kpi_overview column, display kind, lower is better); the tile's name is the column's label (labels.py).
KPIS: tuple[tuple[str, str, bool], ...] = (
    ("revenue_usd", "usd", False),
    ("net_new_revenue_usd", "usd", False),
    ("win_rate", "rate", False),
    ("open_pipeline_usd", "usd", False),
    ("median_sales_cycle_days", "days", True),
    ("logo_churn_rate", "rate", True),
    ("net_revenue_retention", "rate", False),
    ("net_revenue_retention_ttm", "rate", False),
    ("nps", "nps", False),
    ("cac_usd", "usd", True),
    ("clv_to_cac_ratio", "ratio", False),
)


def render(filters: Filters) -> None:
    # The selected month and the one before it (even when that is before the range start) for the deltas.
    latest = queries.select(MART, where=Where(between={"month_start": (None, filters.end)}), order_by=["month_start"])
    if components.empty(latest, "KPI months"):
        return
    current = latest.iloc[-1]
    previous = latest.iloc[-2] if len(latest) > 1 else None
    st.caption(f"Month {current['month_start']:%B %Y}; deltas vs the month before. Hover a KPI for its definition.")
    columns = st.columns(5)
    for i, (column, kind, lower_is_better) in enumerate(KPIS):
        with columns[i % 5]:
            st.metric(
                labels.plain(column),
                components.format_value(current[column], kind),
                delta=None if previous is None else components.format_delta(current[column], previous[column], kind),
                delta_color="inverse" if lower_is_better else "normal",
                help=describe(MART, column),
                border=True,
            )
    components.note(applied_note(MART, filters))
    trend = queries.select(MART, where=where_for(MART, filters), order_by=["month_start"])
    if components.empty(trend, "months"):
        return
    components.chart(
        px.bar(trend, x="month_start", y=["revenue_usd", "net_new_revenue_usd"], barmode="group", title="Revenue"),
        "overview_revenue",
    )
    components.chart(
        px.line(trend, x="month_start", y=["win_rate", "logo_churn_rate", "net_revenue_retention"], title="Rates"),
        "overview_rates",
    )
    components.table(trend, MART, "kpi_overview", "KPIs per month")
