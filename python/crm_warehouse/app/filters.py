"""Global sidebar filters and how each mart applies them.

A mart applies a filter only where it has that dimension: row-level marts filter a column, long-form marts
(dimension_name / dimension_value) pick the breakdown row for the most specific selected dimension.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import streamlit as st

from crm_warehouse.app import queries
from crm_warehouse.app.queries import Where

ALL = "All"
FILTER_KEYS = ("rep", "team", "segment", "region")


@dataclass(frozen=True)
class Filters:
    start: date | None = None
    end: date | None = None
    segment: str | None = None
    region: str | None = None
    team: str | None = None
    rep: str | None = None

    def selected(self) -> dict[str, str]:
        return {k: v for k in FILTER_KEYS if (v := getattr(self, k)) is not None}


# Row-level marts: filter key -> column of the mart.
ROW_COLUMNS: dict[str, dict[str, str]] = {
    "customer_segments": {"segment": "account_tier", "region": "region"},
    "customer_health": {"segment": "tier", "region": "region", "team": "owner_team", "rep": "owner_user_id"},
    "at_risk_accounts": {"segment": "tier", "region": "region", "team": "owner_team", "rep": "owner_user_id"},
    "sales_cycle_deals": {"segment": "account_tier", "team": "owner_team", "rep": "owner_user_id"},
    "crm_adoption": {"team": "team", "rep": "user_id"},
    "crm_adoption_teams": {"team": "team"},
    "rep_scorecard": {"team": "team", "rep": "user_id"},
}
# Long-form marts: filter key -> dimension_name holding that breakdown.
LONG_DIMENSIONS: dict[str, dict[str, str]] = {
    "win_rates": {"rep": "rep", "team": "team", "segment": "segment"},
    "sales_cycle": {"rep": "rep", "team": "team", "segment": "account_tier"},
    "stage_durations": {"team": "team"},
    "pipeline": {"rep": "rep", "team": "team"},
    "goal_attainment": {"rep": "rep", "team": "team"},
    "customer_perception": {"segment": "tier", "region": "region"},
    "segment_summary": {"segment": "account_tier", "region": "region"},
    "lead_funnel": {"rep": "rep", "team": "team"},
}
# Date column each mart is filtered on (inclusive month range).
DATE_COLUMNS: dict[str, str] = {
    "kpi_overview": "month_start",
    "revenue_monthly": "month_start",
    "acquisition_cost": "month_start",
    "lead_funnel": "month_start",
    "opportunity_funnel": "cohort_month",
    "win_rates": "period_start",
    "sales_cycle": "period_start",
    "sales_cycle_deals": "close_month",
    "stage_durations": "period_start",
    "pipeline": "month_start",
    "forecast": "target_month_start",
    "goal_attainment": "month_start",
    "rep_scorecard": "month_start",
    "customer_churn": "month_start",
    "cohort_retention": "cohort_month",
    "revenue_retention": "month_start",
    "support_performance": "month_start",
    "customer_perception": "month_start",
    "crm_adoption": "month_start",
    "crm_adoption_teams": "month_start",
}


def where_for(table: str, filters: Filters, dates: bool = True, **equals: object) -> Where:
    """The Where that applies the global filters `table` supports, plus fixed equalities (e.g. period_grain)."""
    eq: dict[str, object] = dict(equals)
    between: dict[str, tuple[date | None, date | None]] = {}
    if dates and table in DATE_COLUMNS and (filters.start or filters.end):
        between[DATE_COLUMNS[table]] = (filters.start, filters.end)
    for key, column in ROW_COLUMNS.get(table, {}).items():
        value = getattr(filters, key)
        if value is not None:
            eq[column] = value
    if table in LONG_DIMENSIONS:
        name, value = breakdown(table, filters)
        eq["dimension_name"] = name
        eq["dimension_value"] = value
    return Where(equals=eq, between=between)


def breakdown(table: str, filters: Filters) -> tuple[str, str]:
    """The most specific selected breakdown the long-form mart has (rep > team > segment > region), else all."""
    for key in FILTER_KEYS:
        value = getattr(filters, key)
        dimension = LONG_DIMENSIONS.get(table, {}).get(key)
        if value is not None and dimension:
            return dimension, value
    return "all", "all"


def applied_note(table: str, filters: Filters) -> str:
    """Which selected filters the mart cannot apply (shown under its charts, so nobody misreads a total)."""
    supported = set(ROW_COLUMNS.get(table, {}))
    if table in LONG_DIMENSIONS:
        name, _ = breakdown(table, filters)
        supported = {k for k, d in LONG_DIMENSIONS[table].items() if d == name}
    ignored = [k for k in filters.selected() if k not in supported]
    return f"Not split by {', '.join(ignored)} in this mart." if ignored else ""


def _choice(label: str, options: list[object], key: str, help_text: str) -> str | None:
    value = st.sidebar.selectbox(label, [ALL, *[str(o) for o in options]], key=key, help=help_text)
    return None if value == ALL else value


def sidebar() -> Filters:
    """Render the global filters; options come from the marts."""
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
    segment = _choice(
        "Segment (account tier)", queries.distinct("dim_accounts", "tier"), "segment", "Account tier of the customer"
    )
    region = _choice("Region", queries.distinct("dim_accounts", "region"), "region", "Region of the account")
    team = _choice("Team", queries.distinct("dim_users", "team"), "team", "Sales team of the deal or account owner")
    reps = queries.distinct(
        "dim_users",
        "user_id",
        Where(equals={"team": team} if team else {}, isin={"role": ["sales_rep", "sales_manager"]}),
    )
    rep = _choice("Rep", reps, "rep", "Deal or account owner (user id)")
    return Filters(start=start, end=end, segment=segment, region=region, team=team, rep=rep)
