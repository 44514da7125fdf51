"""Rep view: one rep's open pipeline, activities and win rate next to their team's and the company's.

Every number is a mart value: pipeline and quota from rep_scorecard, the trailing twelve-month win rate from the
rep, team and all rows of the pipeline mart, activities by type and month from activity_effectiveness.
"""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import streamlit as st

from crm_warehouse.app import components, labels, queries
from crm_warehouse.app.definitions import describe
from crm_warehouse.app.filters import Filters
from crm_warehouse.app.queries import Where

TITLE = "Rep view"
ICON = ":material/person:"
# (rep_scorecard column, display kind) of the pipeline tiles.
PIPELINE_TILES: tuple[tuple[str, str], ...] = (
    ("open_opportunities", "number"),
    ("pipeline_value_usd", "usd"),
    ("weighted_pipeline_usd", "usd"),
    ("won_amount_usd", "usd"),
    ("attainment_ratio", "rate"),
)
ACTIVITY_TYPES = ["calls", "emails", "meetings", "demos", "samples", "events", "proposals"]


def render(filters: Filters) -> None:
    reps = queries.distinct("rep_scorecard", "user_id", Where(equals={"team": filters.team} if filters.team else {}))
    if not reps:
        st.info("No sales reps for the selected filters.")
        return
    # Default: the sidebar's rep, else the first sales rep (managers seldom own deals).
    sales_reps = queries.distinct("dim_users", "user_id", Where(equals={"role": "sales_rep"}))
    first = next((r for r in reps if r in sales_reps), reps[0])
    default = reps.index(filters.rep if filters.rep in reps else first)
    rep = st.selectbox("Rep", reps, index=default, key="rep_view")
    months = queries.select(
        "rep_scorecard",
        where=Where(equals={"user_id": rep}, between={"month_start": (None, filters.end)}),
        order_by=["month_start"],
    )
    if components.empty(months, "months for this rep"):
        return
    card = months.iloc[-1]
    month, team = card["month_start"], card["team"]
    st.caption(
        f"{rep} ({str(card['role']).replace('_', ' ')}, team {team}). Pipeline at the end of {month:%B %Y}"
        " (the last month of the range); hover a tile for its definition."
    )
    st.subheader("Open pipeline")
    for column, (name, kind) in zip(st.columns(len(PIPELINE_TILES)), PIPELINE_TILES, strict=True):
        with column:
            st.metric(
                labels.plain(name),
                components.format_value(card[name], kind),
                help=describe("rep_scorecard", name),
                border=True,
            )

    st.subheader("Win rate against the team and the company")
    rows = {
        f"{rep} (rep)": ("rep", rep),
        f"Team {team}": ("team", team),
        "Company": ("all", "all"),
    }
    trend = []
    for who, (dimension, value) in rows.items():
        frame = queries.select(
            "pipeline",
            ["month_start", "trailing_win_rate", "trailing_closed_deals"],
            Where(
                equals={"dimension_name": dimension, "dimension_value": value},
                between={"month_start": (filters.start, filters.end)},
            ),
            order_by=["month_start"],
        )
        trend.append(frame.assign(who=who))
    rates = pd.concat(trend, ignore_index=True)
    latest = rates[rates["month_start"] == month]
    for column, (who, _) in zip(st.columns(len(rows)), rows.items(), strict=True):
        value = latest.loc[latest["who"] == who, "trailing_win_rate"]
        with column:
            st.metric(
                f"Win rate, {who}",
                components.format_value(value.iloc[0] if len(value) else None, "rate"),
                help=describe("pipeline", "trailing_win_rate"),
                border=True,
            )
    st.caption("Win rate of the deals closed in the twelve months up to each month end.")
    if not components.empty(rates, "closed deals"):
        components.chart(
            px.line(
                rates,
                x="month_start",
                y="trailing_win_rate",
                color="who",
                markers=True,
                title="Win rate, trailing 12 months",
            ),
            "rep_win_rate",
            {"who": "Who"},
        )

    st.subheader("Activities")
    activity = queries.select(
        "activity_effectiveness",
        where=Where(equals={"user_id": rep}, between={"month_start": (filters.start, filters.end)}),
        order_by=["month_start"],
    )
    if not components.empty(activity, "activities"):
        components.chart(
            px.bar(activity, x="month_start", y=ACTIVITY_TYPES, title="Activities by type and month"),
            "rep_activities",
        )
        components.table(
            activity[["month_start", "interactions", *ACTIVITY_TYPES, "opportunities_worked", "accounts_touched"]],
            "activity_effectiveness",
            "rep_activities",
            "Activities per month",
        )
    components.table(months.sort_values("month_start", ascending=False), "rep_scorecard", "rep_scorecard", "Scorecard")
