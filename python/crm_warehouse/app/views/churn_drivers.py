"""Churn drivers: the logistic regression of churn at each subscription renewal (churn_drivers): odds ratios with
their 95% intervals per term, which are significant, and the effects the synthetic generator plants. Every number
is a mart value."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from crm_warehouse.app import components, labels, queries
from crm_warehouse.app.definitions import describe
from crm_warehouse.app.filters import Filters, mart_where

TITLE = "Churn drivers"
ICON = ":material/troubleshoot:"
TABLE_COLUMNS = [
    "term_label",
    "coefficient",
    "odds_ratio",
    "odds_ratio_ci_low",
    "odds_ratio_ci_high",
    "p_value",
    "is_significant_5pct",
    "planted_effect",
    "planted_log_odds",
    "fit_status",
]
STATUS_WORDS = {
    "not_converged": "the fit did not converge (too few churned renewals for this many terms, or a term that"
    " separates churned from renewed perfectly)",
    "failed": "the fit failed (a term separates churned from renewed perfectly, or the terms are collinear)",
    "no_events": "no renewal churned",
    "no_renewals": "every renewal churned",
}


def odds_ratio_chart(fitted: pd.DataFrame) -> go.Figure:
    """Odds ratio per estimated term (not the intercept) with its 95% interval, on a log axis; 1 = no effect."""
    frame = fitted.assign(
        above=fitted["odds_ratio_ci_high"] - fitted["odds_ratio"],
        below=fitted["odds_ratio"] - fitted["odds_ratio_ci_low"],
        significance=fitted["is_significant_5pct"].map({True: "significant (p < 0.05)", False: "not significant"}),
    )
    figure = px.scatter(
        frame,
        x="odds_ratio",
        y="term_label",
        error_x="above",
        error_x_minus="below",
        color="significance",
        log_x=True,
        hover_data=["p_value", "planted_effect"],
        title="Odds ratio of churn per term, with 95% interval (1 = no effect)",
    )
    figure.add_vline(x=1.0, line_dash="dot")
    figure.update_yaxes(autorange="reversed")
    return figure


def render(filters: Filters) -> None:
    drivers = queries.select("churn_drivers", order_by=["term_order"])
    if components.empty(drivers, "churn drivers"):
        return
    _, unavailable = mart_where("churn_drivers", filters, dates=False)
    first = drivers.iloc[0]
    n_obs, n_events = int(first["n_obs"]), int(first["n_events"])
    st.caption(
        "A logistic regression of churn at each subscription renewal (one observation per renewal decided by the"
        " as-of date) on what was known that day: tickets, satisfaction, recency, tenure, product mix and segment."
        " An odds ratio above 1 makes churn likelier, below 1 less likely, per unit of the term."
    )
    components.scope_note(unavailable, filters)
    tiles = [("n_obs", n_obs), ("n_events", n_events)]
    names = {"n_obs": "Renewals", "n_events": "Churned renewals"}
    fitted = drivers[(drivers["fit_status"] == "fitted") & (drivers["term"] != "intercept")]
    significant = int(fitted["is_significant_5pct"].fillna(False).astype(bool).sum())
    tiles.append(("is_significant_5pct", significant))
    names["is_significant_5pct"] = "Significant terms"
    for column, (name, value) in zip(st.columns(len(tiles)), tiles, strict=True):
        with column:
            st.metric(names[name], components.format_value(value, "number"), help=describe("churn_drivers", name),
                      border=True)  # fmt: skip
    if fitted.empty:
        status = str(first["fit_status"])
        st.warning(
            f"No term could be estimated: {STATUS_WORDS.get(status, status)}. {n_events:,} of {n_obs:,} renewals"
            " churned; a logistic regression needs roughly ten churned renewals per term."
        )
        counts = pd.DataFrame({"outcome": ["Renewed", "Churned"], "renewals": [n_obs - n_events, n_events]})
        components.chart(
            px.bar(counts, x="outcome", y="renewals", title="Renewals in the regression"),
            "churn_drivers_counts",
            {"outcome": "Outcome", "renewals": "Renewals"},
        )
    else:
        components.chart(
            odds_ratio_chart(fitted),
            "churn_drivers_odds",
            {"odds_ratio": "Odds ratio (log scale)", "term_label": "Term", "significance": "Significance"},
        )
        strongest = fitted[fitted["is_significant_5pct"].fillna(False).astype(bool)]
        if not strongest.empty:
            top = strongest.loc[strongest["coefficient"].abs().idxmax()]
            st.caption(
                f"Strongest significant driver: {top['term_label']}, odds ratio {top['odds_ratio']:.2f}"
                f" ({top['odds_ratio_ci_low']:.2f} to {top['odds_ratio_ci_high']:.2f})."
            )
    st.caption(
        "Planted effect: what the synthetic generator builds in (log-odds of churn at a renewal -2.4 + 0.55 per"
        " escalated or unresolved ticket of the past year + 1.0 after a detractor NPS - 0.6 after a promoter, and a"
        f" latent health score); on real data read only the estimates. {labels.plain('pseudo_r_squared')}:"
        f" {components.format_value(first['pseudo_r_squared'], 'ratio')}."
    )
    components.table(drivers[TABLE_COLUMNS], "churn_drivers", "churn_drivers_table", "Terms")
