"""Clusters: the behaviour clusters of the customer accounts (k-means on standardised behaviour, k chosen by
silhouette) from behaviour_cluster_profiles, and the accounts of a chosen cluster from behaviour_clusters. Every
number is a mart value."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import streamlit as st

from crm_warehouse.app import components, labels, queries
from crm_warehouse.app.definitions import describe
from crm_warehouse.app.filters import Filters, mart_where
from crm_warehouse.app.queries import Where

TITLE = "Clusters"
ICON = ":material/bubble_chart:"
FEATURES = {
    "lifetime_revenue_usd": "Revenue",
    "won_deals": "Won deals",
    "activities": "Sales activities",
    "engagement_events": "Engagement",
    "tickets": "Tickets",
    "products": "Products",
    "tenure_days": "Tenure",
}
# The profile mart's centroid column of each feature (centroid_z_<feature>; tenure's is centroid_z_tenure).
CENTROIDS = {f"centroid_z_{f}" if f != "tenure_days" else "centroid_z_tenure": shown for f, shown in FEATURES.items()}
PROFILE_COLUMNS = [
    "cluster_label",
    "cluster_description",
    "account_count",
    "account_share",
    "avg_lifetime_revenue_usd",
    "churn_rate",
    "typical_products",
    "avg_won_deals",
    "avg_activities",
    "avg_engagement_events",
    "avg_tickets",
    "avg_products",
    "avg_tenure_days",
]
ACCOUNT_COLUMNS = ["account_id", "account_name", "tier", "cluster_label", *FEATURES, "subscription_state"]


def render(filters: Filters) -> None:
    profiles = queries.select("behaviour_cluster_profiles", order_by=["cluster_id"])
    if components.empty(profiles, "behaviour clusters (no customer accounts)"):
        return
    first = profiles.iloc[0]
    st.caption(
        "Customers grouped by how they behave: k-means on standardised revenue, won deals, sales activities,"
        " engagement, tickets, products held and tenure (revenue and counts on a log scale). The number of clusters"
        f" is the one with the best silhouette ({first['silhouette_by_k'] or 'too few customers to compare'})."
    )
    _, unavailable = mart_where("behaviour_cluster_profiles", filters, dates=False)
    components.scope_note(unavailable, filters)
    tiles = [
        ("clusters_chosen", int(first["clusters_chosen"]), "number"),
        ("silhouette_score", first["silhouette_score"], "ratio"),
        ("account_count", int(profiles["account_count"].sum()), "number"),
    ]
    for column, (name, value, kind) in zip(st.columns(len(tiles)), tiles, strict=True):
        with column:
            st.metric(
                "Customers" if name == "account_count" else labels.plain(name),
                components.format_value(value, kind),
                help=describe("behaviour_cluster_profiles", name),
                border=True,
            )
    sizes = px.bar(
        profiles,
        x="cluster_label",
        y="account_count",
        color="churn_rate",
        hover_data=["avg_lifetime_revenue_usd", "typical_products"],
        title="Accounts per cluster (colour: churn rate)",
    )
    sizes.update_coloraxes(colorbar_tickformat=".0%")
    components.chart(
        sizes,
        "clusters_sizes",
        {"cluster_label": "Cluster", "account_count": "Accounts"},
    )
    centroids = profiles.melt(
        id_vars=["cluster_label"],
        value_vars=list(CENTROIDS),
        var_name="feature",
        value_name="centroid_z",
    )
    centroids["feature"] = centroids["feature"].map(CENTROIDS)
    components.chart(
        px.bar(
            centroids,
            x="feature",
            y="centroid_z",
            color="cluster_label",
            barmode="group",
            title="Cluster profiles: standard deviations from the average customer",
        ),
        "clusters_profiles",
        {"feature": "Feature", "centroid_z": "Standard deviations from the average", "cluster_label": "Cluster"},
    )
    for _, row in profiles.iterrows():
        st.markdown(f"**{row['cluster_label']}**: {row['profile_summary']}")
    components.table(profiles[PROFILE_COLUMNS], "behaviour_cluster_profiles", "clusters_profiles_table", "Profiles")

    st.subheader("Accounts of a cluster")
    chosen = st.selectbox("Cluster", profiles["cluster_label"].tolist(), key="cluster_pick")
    where, unavailable = mart_where("behaviour_clusters", filters, dates=False)
    where = Where(equals={**where.equals, "cluster_label": chosen}, between=where.between)
    members = queries.select("behaviour_clusters", where=where, order_by=["lifetime_revenue_usd", "account_id"])
    components.scope_note(unavailable, filters)
    members = members.sort_values(["lifetime_revenue_usd", "account_id"], ascending=[False, True])
    if not components.empty(members, "accounts in this cluster"):
        components.table(pd.DataFrame(members[ACCOUNT_COLUMNS]), "behaviour_clusters", "clusters_accounts", None)
