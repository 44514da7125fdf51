"""Adoption: CRM usage per team and per rep."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from crm_warehouse.app import components, metrics, queries
from crm_warehouse.app.filters import Filters, mart_where

TITLE = "Adoption"
ICON = ":material/touch_app:"


def render(filters: Filters) -> None:
    teams = metrics.fetch("adoption_teams", filters)
    components.scope_note(teams.unavailable, filters)
    if not components.empty(teams.frame, "team months"):
        components.chart(
            px.line(teams.frame, x="month_start", y="active_crm_users", color="team", markers=True,
                    title="Active CRM users"),
            "adoption_active",
        )  # fmt: skip
        components.chart(
            px.bar(teams.frame, x="month_start", y="logins", color="team", title="Logins per month"),
            "adoption_logins",
        )
        components.chart(
            px.line(teams.frame, x="month_start", y="logins_per_active_user", color="team", markers=True,
                    title="Logins per active user"),
            "adoption_logins_per_user",
        )  # fmt: skip
    st.subheader("Per user")
    where, unavailable = mart_where("crm_adoption", filters)
    components.scope_note(unavailable, filters)
    users = queries.select("crm_adoption", where=where, order_by=["month_start", "user_id"])
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
