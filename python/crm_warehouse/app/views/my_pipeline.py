"""My pipeline: one rep's open leads and deals with the next step to take (rep_workspace), as of the as-of date.

The tiles are the rep's rep_scorecard row of the as-of month; the list is rep_workspace, worked in the order of
its next-step rules (update the close date first, on-track items last). Every number is a mart value.
"""

from __future__ import annotations

import dataclasses

import plotly.express as px
import streamlit as st

from crm_warehouse.app import components, labels, queries
from crm_warehouse.app.definitions import describe
from crm_warehouse.app.filters import Filters, mart_where
from crm_warehouse.app.queries import Where

TITLE = "My pipeline"
ICON = ":material/checklist:"
# (rep_scorecard column, display kind) of the tiles.
TILES: tuple[tuple[str, str], ...] = (
    ("open_leads", "number"),
    ("open_opportunities", "number"),
    ("pipeline_value_usd", "usd"),
    ("days_since_last_activity", "number"),
)
LIST_COLUMNS = [
    "next_step",
    "item_type",
    "item_id",
    "account_id",
    "stage",
    "amount_usd",
    "expected_close_date",
    "days_overdue",
    "last_activity_date",
    "days_since_last_activity",
    "account_activities",
    "is_most_active_account",
    "is_least_active_account",
    "rep_next_step",
]
ACCOUNT_COLUMNS = ["account_id", "account_activities", "is_most_active_account", "is_least_active_account"]


def render(filters: Filters) -> None:
    reps = queries.distinct("rep_workspace", "user_id", Where(equals={"team": filters.team} if filters.team else {}))
    if not reps:
        st.info("No open leads or deals for the selected filters.")
        return
    sales_reps = queries.distinct("dim_users", "user_id", Where(equals={"role": "sales_rep"}))
    first = next((r for r in reps if r in sales_reps), reps[0])
    rep = st.selectbox("Rep", reps, index=reps.index(filters.rep if filters.rep in reps else first), key="my_rep")
    where, unavailable = mart_where("rep_workspace", dataclasses.replace(filters, rep=rep), dates=False)
    items = queries.select("rep_workspace", where=where, order_by=["next_step_priority", "item_type", "item_id"])
    if components.empty(items, "open leads or deals for this rep"):
        return
    as_of = items["as_of_date"].iloc[0]
    card = queries.select("rep_scorecard", where=Where(equals={"user_id": rep}), order_by=["month_start"]).tail(1)
    st.caption(
        f"{rep} (team {items['team'].iloc[0]}): open leads and deals on {as_of:%d %B %Y}, with the next step the"
        " rules suggest; hover a column header for its definition."
    )
    if not card.empty:
        row = card.iloc[0]
        for column, (name, kind) in zip(st.columns(len(TILES)), TILES, strict=True):
            with column:
                st.metric(
                    labels.plain(name),
                    components.format_value(row[name], kind),
                    help=describe("rep_scorecard", name),
                    border=True,
                )
    components.scope_note(unavailable, filters)
    components.chart(
        px.bar(
            items,
            x="item_id",
            y="days_since_last_activity",
            color="next_step",
            title="Days since the last activity on each open lead and deal",
        ),
        "my_pipeline_recency",
        {"item_id": "Lead or deal", "next_step": "Next step"},
    )
    components.table(items[LIST_COLUMNS], "rep_workspace", "my_pipeline_items", "Next steps")
    accounts = (
        items.loc[items["account_id"].notna(), ACCOUNT_COLUMNS]
        .drop_duplicates()
        .sort_values(["account_activities", "account_id"], ascending=[False, True])
    )
    if not accounts.empty:
        components.table(
            accounts, "rep_workspace", "my_pipeline_accounts", "Accounts with an open deal, most active first"
        )
