"""Adoption: CRM usage per team and per rep."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from crm_warehouse.app import components, queries
from crm_warehouse.app.filters import Filters, applied_note, where_for

TITLE = "Adoption"
ICON = ":material/touch_app:"


def render(filters: Filters) -> None:
    teams = queries.select(
        "crm_adoption_teams", where=where_for("crm_adoption_teams", filters), order_by=["month_start", "team"]
    )
    if not components.empty(teams, "team months"):
        components.chart(
            px.line(teams, x="month_start", y="active_user_share", color="team", markers=True, title="Active users"),
            "adoption_active",
        )
        components.chart(
            px.bar(teams, x="month_start", y="logins", color="team", title="Logins per month"), "adoption_logins"
        )
        components.table(teams, "crm_adoption_teams", "crm_adoption_teams")
    st.subheader("Per user")
    components.note(applied_note("crm_adoption", filters))
    users = queries.select(
        "crm_adoption", where=where_for("crm_adoption", filters), order_by=["month_start", "user_id"]
    )
    if not components.empty(users, "user months"):
        components.chart(
            px.bar(
                users,
                x="month_start",
                y="records_created",
                color="user_id",
                title="Records created per user",
            ),
            "adoption_records",
        )
        components.table(users, "crm_adoption", "crm_adoption")
