"""Overview: headline KPIs of the last selected month with month-over-month deltas, revenue, win rate, retention.

Every tile and chart is a semantic-layer metric under all the sidebar filters it can take (app/metrics.py).
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pandas as pd
import plotly.express as px
import streamlit as st

from crm_warehouse.app import components, labels, metrics
from crm_warehouse.app.definitions import METRICS, metric_description
from crm_warehouse.app.filters import Filters
from crm_warehouse.app.metric_queries import COLUMNS, KPI_METRICS

TITLE = "Overview"
ICON = ":material/dashboard:"
# Display kind and whether lower is better, per tile metric (KPI_METRICS order); the name is the column's label.
KINDS: dict[str, tuple[str, bool]] = {
    "revenue": ("usd", False),
    "net_new_revenue": ("usd", False),
    "win_rate": ("rate", False),
    "open_pipeline": ("usd", False),
    "sales_cycle_days_median": ("days", True),
    "logo_churn_rate": ("rate", True),
    "net_revenue_retention": ("rate", False),
    "net_revenue_retention_ttm": ("rate", False),
    "nps": ("nps", False),
    "cac": ("usd", True),
    "clv_to_cac": ("ratio", False),
}


def render(filters: Filters) -> None:
    month = f"Month {filters.end:%B %Y}" if filters.end is not None else "Latest month"
    st.caption(
        f"{month}; deltas vs the month before. Hover a KPI for its definition; a tile a selected filter cannot "
        "split says so under it."
    )
    columns = st.columns(5)
    # Each tile up to the range's last month (the month before the range start included, for the delta).
    upto = dataclasses.replace(filters, start=None)
    for i, metric in enumerate(KPI_METRICS):
        kind, lower_is_better = KINDS[metric]
        scoped = metrics.fetch(f"kpi_{metric}", upto)
        column = COLUMNS.get(metric, metric)
        current, previous = _month_and_previous(scoped.frame, column, filters.end)
        with columns[i % 5]:
            st.metric(
                labels.plain(column),
                components.format_value(current, kind),
                delta=components.format_delta(current, previous, kind),
                delta_color="inverse" if lower_is_better else "normal",
                help=metric_description(metric),
                border=True,
            )
            components.scope_note(scoped.unavailable, filters, compact=True)
    revenue = metrics.fetch("overview_revenue", filters)
    components.scope_note(revenue.unavailable, filters)
    if not components.empty(revenue.frame, "revenue months"):
        components.chart(
            px.bar(revenue.frame, x="month_start", y=["revenue_usd", "net_new_revenue_usd"], barmode="group",
                   title="Revenue"),
            "overview_revenue",
        )  # fmt: skip
    wins = metrics.fetch("overview_win_rate", filters)
    components.scope_note(wins.unavailable, filters)
    if not components.empty(wins.frame, "closed deals"):
        components.chart(
            px.line(wins.frame, x="month_start", y=["win_rate", "amount_win_rate"], markers=True, title="Win rate"),
            "overview_win_rate",
        )
    retention = metrics.fetch("overview_retention", filters)
    components.scope_note(retention.unavailable, filters)
    if not components.empty(retention.frame, "subscription months"):
        components.chart(
            px.line(
                retention.frame,
                x="month_start",
                y=["logo_churn_rate", "net_revenue_retention", "gross_revenue_retention"],
                title="Retention",
            ),
            "overview_rates",
        )
    table = revenue.frame.merge(wins.frame, on="month_start", how="outer").merge(
        retention.frame, on="month_start", how="outer"
    )
    if not table.empty:
        components.table(table.sort_values("month_start"), METRICS, "overview_metrics", "Metrics per month")


def _month_and_previous(frame: pd.DataFrame, column: str, end: date | None) -> tuple[object, object]:
    """The value of the range's last month and of the month before it (None where the metric has no row)."""
    if frame.empty:
        return None, None
    month = pd.Timestamp(end) if end is not None else frame["month_start"].max()
    values = dict(zip(frame["month_start"], frame[column], strict=True))
    return values.get(month), values.get(month - pd.DateOffset(months=1))
