"""One place for what a mart column is called on screen and how its values are shown.

`label(column)` is the human name with its unit ("Revenue (USD)", "Win rate (%)", "Month"); `kind(column)` is
the display format: usd, share (a 0..1 share in the mart, shown as % by the chart's or table's number format,
never multiplied in Python), days, hours, count, ratio, score, date or text. Names come from LABELS when the
column is listed there, else from the column's own name (snake_case words, the unit taken from its suffix), so a
new mart column never reaches the screen as a raw name. The shared chart and table helpers in components.py
apply them; pages pass only overrides for the few generic columns whose meaning depends on the chart
(dimension_value is a lead source on one chart and a rep on another).
"""

from __future__ import annotations

import re

# Column -> (plain name without unit, kind). Only where the derived name would read badly or the kind is not
# evident from the suffix.
LABELS: dict[str, tuple[str, str]] = {
    "month_start": ("Month", "date"),
    "series_month": ("Month", "date"),
    "period_start": ("Period", "date"),
    "cohort_month": ("Cohort month", "date"),
    "close_month": ("Close month", "date"),
    "target_month_start": ("Target month", "date"),
    "snapshot_date": ("Snapshot date", "date"),
    "as_of_date": ("As-of date", "date"),
    "user_id": ("User", "text"),
    "login_days": ("Days with a login", "count"),
    "session_hours": ("Session time", "hours"),
    "owner_user_id": ("Owner", "text"),
    "owner_team": ("Owner team", "text"),
    "dimension_name": ("Breakdown", "text"),
    "dimension_value": ("Breakdown value", "text"),
    "win_rate": ("Win rate", "share"),
    "nps": ("NPS", "score"),
    "csat_mean": ("CSAT (mean, 1-5)", "score"),
    "ces_mean": ("CES (mean)", "score"),
    "cac_usd": ("CAC", "usd"),
    "clv_to_cac_ratio": ("CLV : CAC", "ratio"),
    "avg_predictive_clv_usd": ("Average predicted CLV", "usd"),
    "attainment_ratio": ("Quota attainment", "share"),
    "net_revenue_retention": ("NRR (monthly)", "share"),
    "net_revenue_retention_ttm": ("NRR (TTM)", "share"),
    "gross_revenue_retention": ("GRR (monthly)", "share"),
    "gross_revenue_retention_ttm": ("GRR (TTM)", "share"),
    "logo_churn_rate": ("Logo churn", "share"),
    "revenue_growth_mom": ("Revenue growth, month over month", "share"),
    "mrr_usd": ("MRR", "usd"),
    "new_mrr_usd": ("New MRR", "usd"),
    "expansion_mrr_usd": ("Expansion MRR", "usd"),
    "reactivation_mrr_usd": ("Reactivation MRR", "usd"),
    "contraction_mrr_usd": ("Contraction MRR", "usd"),
    "churned_mrr_usd": ("Churned MRR", "usd"),
    "first_contact_resolution_rate": ("First-contact resolution", "share"),
    "sla_compliance_rate": ("SLA compliance", "share"),
    "pipeline_velocity_usd_per_day": ("Pipeline velocity (USD per day)", "usd"),
    "next_month_quota_usd": ("Next month's quota", "usd"),
    "expected_revenue_p10_usd": ("Expected revenue, P10", "usd"),
    "expected_revenue_p90_usd": ("Expected revenue, P90", "usd"),
    "r_score": ("Recency score (R)", "score"),
    "f_score": ("Frequency score (F)", "score"),
    "m_score": ("Monetary score (M)", "score"),
    "rfm_segment": ("RFM segment", "text"),
    "p_alive": ("P(alive)", "share"),
    "health_score": ("Health score", "score"),
    "latest_nps_score": ("Latest NPS answer (0-10)", "score"),
    "latest_csat_score": ("Latest CSAT answer (1-5)", "score"),
    "next_best_offer_product_name": ("Next best offer", "text"),
    "next_best_offer_type": ("Offer type", "text"),
    "behaviour_cluster_label": ("Behaviour cluster", "text"),
    "is_at_risk_high_value": ("At-risk high-value account", "flag"),
    "touch_path": ("Path of touch categories", "text"),
    "months_since_first_purchase": ("Months since first purchase", "count"),
    "customer_rank_share": ("Share of customers", "share"),
    "avg_call_duration_seconds": ("Average call duration (seconds)", "count"),
    "calls": ("Calls", "count"),
    "emails": ("Emails", "count"),
    "meetings": ("Meetings", "count"),
    "demos": ("Demos", "count"),
    "samples": ("Samples", "count"),
    "events": ("Events", "count"),
    "proposals": ("Proposals", "count"),
    "interactions": ("Activities", "count"),
}

# Suffix -> (kind, unit shown in the label). Checked in order: the first match wins.
_SUFFIXES: tuple[tuple[str, str, str], ...] = (
    ("_usd", "usd", "USD"),
    ("_rate", "share", "%"),
    ("_share", "share", "%"),
    ("_ratio", "ratio", ""),
    ("_days", "days", "days"),
    ("_hours", "hours", "hours"),
    ("_date", "date", ""),
    ("_at", "date", ""),
)
_UNITS = {"usd": "USD", "share": "%", "days": "days", "hours": "hours"}
_WORDS = {
    "usd": "",
    "avg": "average",
    "pct": "percent",
    "id": "ID",
    "mrr": "MRR",
    "arr": "ARR",
    "nps": "NPS",
    "csat": "CSAT",
    "ces": "CES",
    "cac": "CAC",
    "clv": "CLV",
    "apv": "APV",
    "crm": "CRM",
    "sla": "SLA",
    "fcr": "FCR",
    "ttm": "TTM",
    "mom": "month over month",
    "yoy": "year over year",
    "p10": "P10",
    "p50": "P50",
    "p90": "P90",
}
SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")


def kind(column: str) -> str:
    if column in LABELS:
        return LABELS[column][1]
    for suffix, found, _ in _SUFFIXES:
        if column.endswith(suffix):
            return found
    if column.startswith(("is_", "has_")):
        return "flag"
    return "text"


def _words(column: str) -> str:
    name = column
    for prefix in ("is_", "has_"):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    for suffix in ("_usd", "_rate", "_share", "_days", "_hours"):
        if name.endswith(suffix) and suffix in ("_usd", "_days", "_hours"):
            name = name[: -len(suffix)]
    words = [_WORDS.get(w, w) for w in name.split("_")]
    text = " ".join(w for w in words if w)
    return text[:1].upper() + text[1:]


def label(column: str) -> str:
    """The name a stakeholder reads, with the unit: 'Revenue (USD)', 'Win rate (%)', 'Month'."""
    if column in LABELS:
        name, found = LABELS[column]
    else:
        name, found = _words(column), kind(column)
    unit = _UNITS.get(found)
    if not unit or unit in name:
        return name
    if name.endswith(")"):  # 'NRR (monthly)' -> 'NRR (monthly, %)'
        return f"{name[:-1]}, {unit})"
    return f"{name} ({unit})"


def plain(column: str) -> str:
    """The name without the unit (metric tiles, the Definitions page)."""
    return LABELS[column][0] if column in LABELS else _words(column)


def is_raw(text: str) -> bool:
    """True for a raw snake_case column name (what must never be a title, legend, header or tile label)."""
    return bool(SNAKE_CASE.match(text.strip()))
