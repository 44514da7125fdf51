"""The global sidebar filters, and how a mart read by the app takes them.

Metric charts take the filters through the semantic layer (app/metrics.py). The few charts that read a mart
directly (lists of accounts or deals, forecasts, cohort grids) take a filter where the mart has one of the filter's
conformed columns (crm_warehouse.semantic.filters), and the month range on its first conformed month column; a
filter a chart cannot take is shown greyed out on it with the reason (components.scope_note).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import streamlit as st

from crm_warehouse.app import queries
from crm_warehouse.app.queries import Where
from crm_warehouse.semantic.filters import FILTER_KEYS, FILTERS, FilterSpec

ALL = "All"
# Month columns of the marts, in the order a mart's own period is recognised.
MONTH_COLUMNS = ("month_start", "period_start", "close_month", "target_month_start", "cohort_month")


@dataclass(frozen=True)
class Filters:
    start: date | None = None
    end: date | None = None
    segment: str | None = None
    region: str | None = None
    team: str | None = None
    rep: str | None = None
    product_family: str | None = None
    lead_source: str | None = None

    def selected(self) -> dict[str, str]:
        return {k: v for k in FILTER_KEYS if (v := getattr(self, k)) is not None}


def mart_where(table: str, filters: Filters, dates: bool = True, **equals: object) -> tuple[Where, dict[str, str]]:
    """The Where applying every selected filter `table` has a column for, plus fixed equalities (e.g. a grain), and
    the filters it cannot take with why. A long-form mart (dimension_name / dimension_value, one breakdown per
    row) gives the breakdown of the first selected filter it holds (its dimension_name is the filter's key or one
    of its conformed columns), else its 'all' rows, unless `equals` picks a breakdown; the other selected filters
    it cannot cross with that one."""
    columns = set(queries.table_columns(table))
    eq: dict[str, object] = dict(equals)
    between: dict[str, tuple[date | None, date | None]] = {}
    month = next((c for c in MONTH_COLUMNS if c in columns), None)
    if dates and month and (filters.start or filters.end):
        between[month] = (filters.start, filters.end)
    unavailable: dict[str, str] = {}
    if "dimension_name" in columns and "dimension_name" not in eq:
        return _breakdown_where(table, filters, eq, between)
    for spec in FILTERS:
        value = getattr(filters, spec.key)
        column = next((c for c in spec.columns if c in columns), None)
        if column is None:
            unavailable[spec.key] = _not_split(table, spec)
        elif value is not None:
            eq[column] = value
    return Where(equals=eq, between=between), unavailable


def _not_split(table: str, spec: FilterSpec) -> str:
    return f"this chart reads the {table} mart, which is not split by {spec.label.lower()}"


def _breakdown_where(
    table: str, filters: Filters, eq: dict[str, object], between: dict[str, tuple[date | None, date | None]]
) -> tuple[Where, dict[str, str]]:
    breakdowns = set(queries.distinct(table, "dimension_name"))
    held = {spec.key: next((n for n in (spec.key, *spec.columns) if n in breakdowns), None) for spec in FILTERS}
    chosen = next((spec for spec in FILTERS if getattr(filters, spec.key) is not None and held[spec.key]), None)
    eq["dimension_name"] = held[chosen.key] if chosen else "all"
    eq["dimension_value"] = getattr(filters, chosen.key) if chosen else "all"
    unavailable: dict[str, str] = {}
    for spec in FILTERS:
        if not held[spec.key]:
            unavailable[spec.key] = _not_split(table, spec)
        elif chosen and spec.key != chosen.key and getattr(filters, spec.key) is not None:
            unavailable[spec.key] = (
                f"this chart reads the {table} mart, which holds one breakdown at a time and shows the "
                f"{chosen.label.lower()} selected"
            )
    return Where(equals=eq, between=between), unavailable


def _choice(key: str, label: str, options: list[object], help_text: str) -> str | None:
    value = st.sidebar.selectbox(label, [ALL, *[str(o) for o in options]], key=key, help=help_text)
    return None if value == ALL else value


def _options(sources: tuple[tuple[str, str], ...], where: Where | None = None) -> list[object]:
    return sorted({v for table, column in sources for v in queries.distinct(table, column, where)})


def sidebar() -> Filters:
    """Render the global filters; options come from the dimensions the metrics are sliced by."""
    st.sidebar.header("Filters")
    months = queries.distinct("kpi_overview", "month_start")
    start = end = None
    if months:
        labels = [m.strftime("%Y-%m") for m in months]
        # Default to the last twelve complete months: the last KPI month is the as-of month (the warehouse's
        # "today", the day after the extract's latest event), still in progress.
        last = max(0, len(labels) - 2)
        low, high = st.sidebar.select_slider(
            "Months", options=labels, value=(labels[max(0, last - 11)], labels[last]), key="months"
        )
        start, end = months[labels.index(low)], months[labels.index(high)]
    chosen: dict[str, str | None] = {}
    for spec in FILTERS:
        where = None
        if spec.key == "rep":  # reps of the selected team, sales roles only
            team = chosen.get("team")
            where = Where(equals={"team": team} if team else {}, isin={"role": ["sales_rep", "sales_manager"]})
        chosen[spec.key] = _choice(spec.key, spec.label, _options(spec.options, where), spec.help)
    return Filters(start=start, end=end, **chosen)
