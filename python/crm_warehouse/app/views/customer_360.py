"""Customer 360: search an account, see its customer_360 row as labelled tiles and its journey.

Tiles are the account's customer_360 values (as of the as-of date); the journey is its customer_journey touchpoints
and its customer_journey_won_deals rows; below them, the most common paths to a won deal (customer_journey_paths,
every account). The sidebar's segment, region, team and rep filters narrow the list of accounts to pick from.
"""

from __future__ import annotations

import re

import pandas as pd
import plotly.express as px
import streamlit as st

from crm_warehouse.app import components, labels, queries
from crm_warehouse.app.definitions import describe
from crm_warehouse.app.filters import Filters, mart_where
from crm_warehouse.app.queries import Where

TITLE = "Customer 360"
ICON = ":material/person_search:"
MART = "customer_360"
CODE = re.compile(r"[a-z][a-z0-9_]*")
TILES_PER_ROW = 3
# Tile groups: (heading, ((customer_360 column, display kind), ...)). Kinds: text, date, flag and those of
# components.format_value (usd, rate, ratio, number, nps).
TILE_GROUPS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Firmographics",
        (
            ("industry", "text"),
            ("tier", "text"),
            ("region", "text"),
            ("country", "text"),
            ("employee_count", "number"),
            ("owner_user_id", "text"),
            ("owner_team", "text"),
        ),
    ),
    (
        "Value",
        (
            ("rfm_segment", "text"),
            ("behaviour_cluster_label", "text"),
            ("lifetime_revenue_usd", "usd"),
            ("customer_margin_usd", "usd"),
            ("margin_pct", "rate"),
            ("predictive_clv_usd", "usd"),
            ("probabilistic_clv_usd", "usd"),
        ),
    ),
    (
        "Pipeline and contact",
        (
            ("open_opportunities", "number"),
            ("open_pipeline_usd", "usd"),
            ("weighted_pipeline_usd", "usd"),
            ("last_touch_at", "date"),
            ("last_touch_type", "text"),
            ("days_since_last_touch", "number"),
        ),
    ),
    (
        "Service and health",
        (
            ("open_tickets", "number"),
            ("open_escalated_tickets", "number"),
            ("latest_nps_score", "nps"),
            ("latest_csat_score", "nps"),
            ("health_score", "nps"),
            ("risk_tier", "text"),
        ),
    ),
    (
        "Next step",
        (
            ("is_at_risk_high_value", "flag"),
            ("churn_risk_score", "ratio"),
            ("next_best_offer_product_name", "text"),
            ("next_best_offer_type", "text"),
        ),
    ),
)
JOURNEY_COLUMNS = ["touch_seq", "occurred_at", "touch_category", "touch_type", "contact_id", "opportunity_id"]
WON_DEAL_COLUMNS = [
    "opportunity_id",
    "close_date",
    "amount_usd",
    "cycle_days",
    "first_touch_type",
    "first_touch_at",
    "last_touch_type",
    "last_touch_at",
    "touchpoints",
    "contacts_involved",
    "decision_makers_involved",
    "touch_path",
]


def tile_value(value: object, kind: str) -> str:
    """What a tile shows: 'no data' for a null, a code as words, yes/no for a flag, YYYY-MM-DD for a time."""
    if components.is_missing(value):
        return "no data"
    if kind == "text":  # a code-like value (at_risk, cross_sell) in words, as chart legends show them
        return labels.plain(str(value)) if CODE.fullmatch(str(value)) else str(value)
    if kind == "flag":
        return "yes" if value else "no"
    if kind == "date":
        return f"{pd.Timestamp(value):%Y-%m-%d}"  # type: ignore[arg-type]
    return components.format_value(value, kind)


def account_label(accounts: pd.DataFrame) -> dict[str, str]:
    return {row.account_id: f"{row.account_name} ({row.account_id})" for row in accounts.itertuples()}


def render(filters: Filters) -> None:
    where, unavailable = mart_where(MART, filters, dates=False)
    accounts = queries.select(MART, ["account_id", "account_name"], where=where, order_by=["account_id"])
    if components.empty(accounts, "accounts"):
        return
    names = account_label(accounts)
    search = st.text_input("Search accounts (name or ID)", key="c360_search").strip().lower()
    options = [a for a, name in names.items() if search in name.lower()] if search else list(names)
    if not options:
        st.info(f"No account matches '{search}'.")
        return
    account_id = st.selectbox("Account", options, format_func=names.__getitem__, key="c360_account")
    components.scope_note(unavailable, filters)
    row = queries.select(MART, where=Where(equals={"account_id": account_id})).iloc[0]
    status = "customer" if row["is_customer"] else "prospect (no order or subscription yet)"
    st.caption(
        f"{row['account_name']}: {status}; figures as of the as-of date, each taken from the mart that defines it"
        " (hover a tile for its definition). The behavioural cluster is not shown yet."
    )
    for heading, tiles in TILE_GROUPS:
        st.subheader(heading)
        for start in range(0, len(tiles), TILES_PER_ROW):  # names and amounts fit a third of the page
            row_tiles = tiles[start : start + TILES_PER_ROW]
            for column, (name, kind) in zip(st.columns(TILES_PER_ROW)[: len(row_tiles)], row_tiles, strict=True):
                with column:
                    value = tile_value(row[name], kind)
                    st.metric(labels.plain(name), value, help=describe(MART, name), border=True)
    journey = queries.select(
        "customer_journey", JOURNEY_COLUMNS, where=Where(equals={"account_id": account_id}), order_by=["touch_seq"]
    )
    st.subheader("Journey")
    if not components.empty(journey, "touchpoints for this account"):
        by_month = journey.assign(month_start=journey["occurred_at"].dt.to_period("M").dt.to_timestamp())
        counts = by_month.groupby(["month_start", "touch_category"], as_index=False).size()
        components.chart(
            px.bar(counts, x="month_start", y="size", color="touch_category", title="Touchpoints per month"),
            "c360_journey",
            {"size": "Touchpoints", "touch_category": "Touch category"},
        )
        components.table(journey, "customer_journey", "c360_journey_touchpoints", "Touchpoints, first to last")
    won = queries.select(
        "customer_journey_won_deals",
        WON_DEAL_COLUMNS,
        where=Where(equals={"account_id": account_id}),
        order_by=["close_date", "opportunity_id"],
    )
    if won.empty:
        st.caption("No won deal yet.")
    else:
        components.table(won, "customer_journey_won_deals", "c360_won_deals", "Won deals: first and last touch")
    paths = queries.select("customer_journey_paths", order_by=["path_rank"])
    if not paths.empty:
        st.caption("Most common paths to a won deal: every account's closed deals, all history of the build.")
        components.table(paths, "customer_journey_paths", "c360_paths", "Most common paths to a won deal")
