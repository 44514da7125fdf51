"""Feedback: the sentiment of survey comments and ticket texts (VADER) per month and account (feedback_sentiment),
how the comments' tone follows the NPS score (feedback_sentiment_by_score, feedback_sentiment_correlation), and
how many texts VADER could not read (another language: unscored, never counted as neutral). Tiles and the monthly
chart pool the account-month rows the filters keep: a mean weighted by the scored texts of each row."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import streamlit as st

from crm_warehouse.app import components, queries
from crm_warehouse.app.definitions import describe
from crm_warehouse.app.filters import Filters, mart_where
from crm_warehouse.app.queries import Where

TITLE = "Feedback"
ICON = ":material/sentiment_satisfied:"
ACCOUNT_COLUMNS = [
    "month_start",
    "account_id",
    "account_name",
    "account_tier",
    "region",
    "survey_comments",
    "scored_comments",
    "unscored_comments",
    "comment_sentiment_mean",
    "ticket_texts",
    "unscored_tickets",
    "ticket_sentiment_mean",
    "feedback_sentiment_mean",
    "nps_responses",
    "nps",
]


def weighted_mean(frame: pd.DataFrame, mean: str, weight: str) -> float | None:
    """The mean over every text of the rows: each row's mean weighted by its scored texts (None without any)."""
    rows = frame[frame[weight] > 0]
    total = float(rows[weight].sum())
    return None if total == 0 else float((rows[mean] * rows[weight]).sum()) / total


def monthly(frame: pd.DataFrame) -> pd.DataFrame:
    out = []
    for month, rows in frame.groupby("month_start", sort=True):
        out.append(
            {
                "month_start": month,
                "comment_sentiment_mean": weighted_mean(rows, "comment_sentiment_mean", "scored_comments"),
                "ticket_sentiment_mean": weighted_mean(rows, "ticket_sentiment_mean", "scored_tickets"),
                "unscored_comments": int(rows["unscored_comments"].sum()),
            }
        )
    return pd.DataFrame(out)


def render(filters: Filters) -> None:
    where, unavailable = mart_where("feedback_sentiment", filters)
    accounts = queries.select("feedback_sentiment", where=where, order_by=["month_start", "account_id"])
    st.caption(
        "Sentiment from -1 (most negative) to +1 (most positive), scored by VADER from the words of each survey"
        " comment and ticket (subject and description). A text with no word VADER knows (e.g. in another language)"
        " is counted as unscored and left out of the averages, not treated as neutral."
    )
    components.scope_note(unavailable, filters)
    if components.empty(accounts, "feedback"):
        return
    tiles = [
        ("Comment sentiment", weighted_mean(accounts, "comment_sentiment_mean", "scored_comments"), "ratio", None),
        ("Ticket sentiment", weighted_mean(accounts, "ticket_sentiment_mean", "scored_tickets"), "ratio", None),
        ("Scored comments", accounts["scored_comments"].sum(), "number", "scored_comments"),
        ("Unscored comments", accounts["unscored_comments"].sum(), "number", "unscored_comments"),
    ]
    for column, (label, value, kind, source) in zip(st.columns(len(tiles)), tiles, strict=True):
        with column:
            help_text = (
                describe("feedback_sentiment", source)
                if source
                else (
                    "Mean VADER sentiment of every scored text of the rows shown (each account-month's mean weighted by"
                    " its scored texts)."
                )
            )
            st.metric(label, components.format_value(value, kind), help=help_text, border=True)
    by_month = monthly(accounts)
    components.chart(
        px.line(
            by_month,
            x="month_start",
            y=["comment_sentiment_mean", "ticket_sentiment_mean"],
            markers=True,
            title="Sentiment by month",
        ),
        "feedback_by_month",
        {"value": "Sentiment (-1 to +1)"},
    )

    st.subheader("Sentiment against the NPS score")
    correlation = queries.select("feedback_sentiment_correlation", order_by=["survey_type"])
    nps = correlation[correlation["survey_type"] == "nps"]
    if not nps.empty:
        row = nps.iloc[0]
        st.metric(
            "Correlation of comment sentiment with the NPS score",
            components.format_value(row["sentiment_score_correlation"], "ratio"),
            help=describe("feedback_sentiment_correlation", "sentiment_score_correlation"),
            border=True,
        )
        st.caption(
            f"Over {int(row['scored_comments']):,} NPS comments VADER could read ({int(row['unscored_comments']):,}"
            " it could not were left out); +1 would mean the comments' tone rises exactly with the score. All"
            " accounts: not split by the sidebar filters."
        )
    by_score = queries.select(
        "feedback_sentiment_by_score", where=Where(equals={"survey_type": "nps"}), order_by=["score"]
    )
    if not components.empty(by_score, "NPS comments"):
        components.chart(
            px.scatter(
                by_score,
                x="score",
                y="comment_sentiment_mean",
                size="scored_comments",
                title="Mean comment sentiment per NPS score (dot size: comments scored)",
            ),
            "feedback_by_nps_score",
            {"score": "NPS score (0-10)", "comment_sentiment_mean": "Comment sentiment (-1 to +1)"},
        )
    components.table(
        correlation, "feedback_sentiment_correlation", "feedback_correlation", "Correlation per survey type"
    )
    components.table(
        accounts.sort_values(["month_start", "account_id"], ascending=[False, True])[ACCOUNT_COLUMNS],
        "feedback_sentiment",
        "feedback_accounts",
        "Per account and month",
    )
