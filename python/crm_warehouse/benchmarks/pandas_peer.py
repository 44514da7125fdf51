"""Pandas peer of the warehouse: 20 headline figures from a raw extract, by hand (issue 12, `make bench`).

`python -m crm_warehouse.benchmarks.pandas_peer DIR [--format csv|parquet]`

A plain pandas script, no DuckDB and no dbt: it reads `<entity>.csv` / `<entity>.parquet` of the raw contract
(`models/staging/crm/_crm__sources.yml`) and does only the cleaning a hand-written script would do: trim, empty
-> missing, dedupe by primary key keeping the latest `updated_at`, parse types, and drop the rows a figure needs
but cannot parse. No quarantine rules, no flags, no inferred members. Every figure covers the whole history up
to the extract's as-of date (the day after its latest event, as the warehouse derives it, unless given).

Amounts are converted to USD with the latest rate on or before the day (the earliest rate before the first one),
as macro `join_fx_rate` does: deals at close date (open deals: expected close date, else as-of date),
orders at the order date, subscriptions at the start date, acquisition costs at the cost month. Unlike the
warehouse, no per-row rounding to cents.

The warehouse marts are monthly; the peer pools the whole history. `MART_MAPPING` says, per figure, which mart
column holds the same metric, how to pool the mart's rows to get the peer's number, and where the definitions
differ; `MART_SQL` is that pooling as a query over the built warehouse. On the demo extract every figure agrees
with the warehouse within cents of rounding except weighted_pipeline_usd (weighted differently, by design).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

# figure -> (mart column, how the mart's rows pool to the peer figure / where the definitions differ)
MART_MAPPING: dict[str, tuple[str, str]] = {
    "win_rate": (
        "win_rates.win_rate (kpi_overview.win_rate)",
        "sum(won_deals) / sum(closed_deals) over period_grain 'month', dimension 'all'. Same definition "
        "(won / (won + lost) by count, close_date period); the mart has no all-time row.",
    ),
    "won_value_usd": (
        "win_rates.won_amount_usd",
        "sum over period_grain 'month', dimension 'all'. Mart rounds each deal's USD amount to cents.",
    ),
    "median_sales_cycle_days": (
        "sales_cycle.median_cycle_days (kpi_overview.median_sales_cycle_days is monthly)",
        "row period_grain 'all_time', dimension 'all': same definition (won deals, close_date - created date, "
        "continuous median).",
    ),
    "revenue_by_month": (
        "revenue_monthly.revenue_usd (kpi_overview.revenue_usd)",
        "one value per month_start, first completed-order month to the as-of month, 0 for months without "
        "orders. Mart rounds gross and discount of each line to cents; a null discount is 0 in both.",
    ),
    "net_revenue_retention": (
        "revenue_retention.net_revenue_retention (kpi_overview.net_revenue_retention)",
        "MRR-weighted pool of the monthly NRR: sum(start_mrr_usd - churned_mrr_usd - contraction_mrr_usd + "
        "expansion_mrr_usd) / sum(start_mrr_usd). Same MRR rule (subscriptions in service on the month's last "
        "day, as-of date for the current month; USD at the start-date rate); not a compounded or yearly NRR.",
    ),
    "gross_revenue_retention": (
        "revenue_retention.gross_revenue_retention (kpi_overview.gross_revenue_retention)",
        "sum(start_mrr_usd - churned_mrr_usd - contraction_mrr_usd) / sum(start_mrr_usd); as NRR.",
    ),
    "logo_churn_rate": (
        "customer_churn.logo_churn_rate (kpi_overview.logo_churn_rate)",
        "sum(customers_churned) / sum(customers_active_at_start) over the complete months. Peer implements "
        "only the default churn_activity_rule 'subscription' (active = a subscription in service on the "
        "month's first day); the 'orders' rule is not reproduced.",
    ),
    "nps": (
        "customer_perception.nps (kpi_overview.nps)",
        "100 x (sum(promoters) - sum(detractors)) / sum(nps_responses), dimension 'all'. Both classify the "
        "score as given (promoter >= 9, detractor < 7), on the answer's own scale: the mart doc says other "
        "scales are rescaled, but fct_survey_responses.nps_class does not rescale NPS (only CSAT/CES).",
    ),
    "csat_mean": (
        "customer_perception.csat_mean (kpi_overview.csat_mean)",
        "sum(csat_mean x csat_responses) / sum(csat_responses), dimension 'all'. Same rescaling onto 1-5.",
    ),
    "ces_mean": (
        "customer_perception.ces_mean",
        "sum(ces_mean x ces_responses) / sum(ces_responses), dimension 'all'. Same rescaling onto 1-7.",
    ),
    "avg_first_response_hours": (
        "support_performance.avg_first_response_hours (channel 'all')",
        "not exactly poolable from the mart (it has no count of responded tickets); fct_tickets: "
        "avg(first_response_hours). Same definition; peer drops responses before opened_at (warehouse nulls "
        "them).",
    ),
    "sla_compliance_rate": (
        "support_performance.sla_compliance_rate (channel 'all')",
        "sum(sla_compliance_rate x tickets_opened) / sum(tickets_opened). Peer counts a ticket without SLA "
        "target or without response/resolution as not met; the warehouse (fct_tickets.met_*_sla) leaves a "
        "ticket without SLA target null and an open ticket still within its SLA null.",
    ),
    "cac_usd": (
        "acquisition_cost.cac_usd (kpi_overview.cac_usd)",
        "sum(acquisition_spend_usd) / sum(new_customers), attribution_level 'total'. New customer = account "
        "with a completed order or a subscription, acquired on the earlier of the two (int_customers_acquired).",
    ),
    "average_deal_size_usd": (
        "win_rates.average_deal_size_usd",
        "sum(won_amount_usd) / sum(won_deals - won_deals_missing_amount), period_grain 'month', dimension 'all'.",
    ),
    "lead_conversion_rate": (
        "lead_funnel.lead_conversion_rate",
        "sum(converted_leads) / sum(new_leads), dimension 'all': converted_at set or status 'converted', "
        "to an opportunity (not lead_to_customer_rate).",
    ),
    "call_abandonment_rate": (
        "support_performance.call_abandonment_rate (channel 'all')",
        "sum(abandoned_calls) / sum(service_calls). Same definition (outcome 'abandoned').",
    ),
    "open_pipeline_usd": (
        "pipeline.pipeline_value_usd (kpi_overview.open_pipeline_usd)",
        "the as-of month's row, dimension 'all'. Peer: deals open in their current state; the mart's open "
        "deals come from int_opportunities_snapshotted_monthly (same thing for the as-of month).",
    ),
    "weighted_pipeline_usd": (
        "pipeline.weighted_pipeline_usd (kpi_overview.weighted_pipeline_usd)",
        "the as-of month's row, dimension 'all'. DIFFERS: peer weights by the rep-entered probability / 100 "
        "(deals without probability skipped); the mart by the historical win rate of the deal's stage.",
    ),
    "crm_logins_per_active_user": (
        "crm_adoption.logins / crm_adoption.is_active_user",
        "sum(logins) / count of user-months with is_active_user. DIFFERS from crm_adoption_teams."
        "logins_per_user, which divides by the roster (active or not).",
    ),
    "average_purchase_value_usd": (
        "revenue_monthly.average_purchase_value_usd",
        "sum(revenue_usd) / sum(orders). Same definition (completed orders).",
    ),
}

# figure -> the query that pools the warehouse's mart rows into the peer's figure (DuckDB SQL over the built
# warehouse, schema main). Checked by hand on a demo build: every figure but weighted_pipeline_usd (a different
# weighting, see MART_MAPPING) agrees within cents of rounding.
MART_SQL: dict[str, str] = {
    "win_rate": "select sum(won_deals) / sum(closed_deals) from win_rates "
    "where period_grain = 'month' and dimension_name = 'all'",
    "won_value_usd": "select sum(won_amount_usd) from win_rates "
    "where period_grain = 'month' and dimension_name = 'all'",
    "median_sales_cycle_days": "select median_cycle_days from sales_cycle "
    "where period_grain = 'all_time' and dimension_name = 'all'",
    "average_deal_size_usd": "select sum(won_amount_usd) / sum(won_deals - won_deals_missing_amount) from win_rates "
    "where period_grain = 'month' and dimension_name = 'all'",
    "open_pipeline_usd": "select pipeline_value_usd from pipeline where dimension_name = 'all' "
    "order by month_start desc limit 1",
    "weighted_pipeline_usd": "select weighted_pipeline_usd from pipeline where dimension_name = 'all' "
    "order by month_start desc limit 1",
    "revenue_by_month": "select strftime(month_start, '%Y-%m-%d'), revenue_usd from revenue_monthly order by 1",
    "average_purchase_value_usd": "select sum(revenue_usd) / sum(orders) from revenue_monthly",
    "net_revenue_retention": "select sum(start_mrr_usd - churned_mrr_usd - contraction_mrr_usd + expansion_mrr_usd) "
    "/ sum(start_mrr_usd) from revenue_retention",
    "gross_revenue_retention": "select sum(start_mrr_usd - churned_mrr_usd - contraction_mrr_usd) "
    "/ sum(start_mrr_usd) from revenue_retention",
    "logo_churn_rate": "select sum(customers_churned) / sum(customers_active_at_start) from customer_churn",
    "nps": "select 100.0 * (sum(promoters) - sum(detractors)) / sum(nps_responses) from customer_perception "
    "where dimension_name = 'all'",
    "csat_mean": "select sum(csat_mean * csat_responses) / sum(csat_responses) from customer_perception "
    "where dimension_name = 'all'",
    "ces_mean": "select sum(ces_mean * ces_responses) / sum(ces_responses) from customer_perception "
    "where dimension_name = 'all'",
    "avg_first_response_hours": "select avg(first_response_hours) from fct_tickets",
    "sla_compliance_rate": "select sum(sla_compliance_rate * tickets_opened) / sum(tickets_opened) "
    "from support_performance where channel = 'all'",
    "cac_usd": "select sum(acquisition_spend_usd) / sum(new_customers) from acquisition_cost "
    "where attribution_level = 'total'",
    "lead_conversion_rate": "select sum(converted_leads) / sum(new_leads) from lead_funnel "
    "where dimension_name = 'all'",
    "call_abandonment_rate": "select sum(abandoned_calls) / sum(service_calls) from support_performance "
    "where channel = 'all'",
    "crm_logins_per_active_user": "select sum(logins) / sum(case when is_active_user then 1 else 0 end) "
    "from crm_adoption",
}

# entity -> primary key columns; entities with updated_at keep the latest version of a key
PRIMARY_KEYS: dict[str, list[str]] = {
    "accounts": ["account_id"],
    "contacts": ["contact_id"],
    "users": ["user_id"],
    "campaigns": ["campaign_id"],
    "products": ["product_id"],
    "opportunity_stage_history": ["stage_history_id"],
    "leads": ["lead_id"],
    "opportunities": ["opportunity_id"],
    "activities": ["activity_id"],
    "acquisition_costs": ["cost_id"],
    "orders": ["order_id"],
    "order_items": ["order_item_id"],
    "fx_rates": ["rate_date", "currency"],
    "subscriptions": ["subscription_id"],
    "tickets": ["ticket_id"],
    "service_calls": ["call_id"],
    "survey_responses": ["response_id"],
    "engagement_events": ["event_id"],
    "crm_logins": ["login_id"],
}

# columns whose latest value sets the as-of date: the contract's timestamp/date columns that may not lie in the
# future (int_extract_as_of_date); a deal's close_date only when it is closed (handled in derive_as_of)
EVENT_COLUMNS: dict[str, list[str]] = {
    "accounts": ["created_at", "updated_at"],
    "contacts": ["created_at", "updated_at"],
    "users": ["hired_at", "updated_at"],
    "leads": ["created_at", "first_response_at", "qualified_at", "converted_at", "updated_at"],
    "campaigns": ["start_date"],
    "acquisition_costs": ["cost_month"],
    "opportunities": ["created_at", "updated_at"],
    "opportunity_stage_history": ["entered_at"],
    "activities": ["occurred_at"],
    "products": ["updated_at"],
    "orders": ["ordered_at", "updated_at"],
    "fx_rates": ["rate_date"],
    "subscriptions": ["started_at", "updated_at"],
    "tickets": ["opened_at", "first_response_at", "resolved_at", "escalated_at", "updated_at"],
    "service_calls": ["queued_at", "answered_at", "ended_at"],
    "survey_responses": ["responded_at"],
    "engagement_events": ["occurred_at"],
    "crm_logins": ["logged_in_at"],
}

TRUE_WORDS = {"true", "t", "1", "yes", "y"}
FALSE_WORDS = {"false", "f", "0", "no", "n"}


def read_entity(extract_dir: Path, entity: str, fmt: str = "csv", only: list[str] | None = None) -> pd.DataFrame:
    """All columns (or `only` those, plus the key) as trimmed text, empty -> NA; a missing file is an empty
    frame (an optional entity left out)."""
    path = extract_dir / f"{entity}.{fmt}"
    if not path.exists():
        return pd.DataFrame()
    wanted = None if only is None else {*only, *PRIMARY_KEYS.get(entity, []), "updated_at"}
    if fmt == "parquet":
        names = None if wanted is None else [name for name in pq.read_schema(path).names if name in wanted]
        frame = pd.read_parquet(path, columns=names)
    else:
        usecols = None if wanted is None else wanted.__contains__
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, usecols=usecols)
    frame = frame.astype("string")
    for column in frame.columns:
        frame[column] = frame[column].str.strip().replace("", pd.NA)
    return dedupe(frame, entity)


def dedupe(frame: pd.DataFrame, entity: str) -> pd.DataFrame:
    """One row per primary key: the latest updated_at (rows without a key are unusable)."""
    key = PRIMARY_KEYS.get(entity)
    if frame.empty or not key or not set(key) <= set(frame.columns):
        return frame
    frame = frame.dropna(subset=key)
    if "updated_at" in frame.columns:
        frame = frame.assign(_updated=timestamp(frame["updated_at"]))
        frame = frame.sort_values("_updated", na_position="first", kind="stable").drop(columns="_updated")
    return frame.drop_duplicates(subset=key, keep="last")


def timestamp(values: pd.Series) -> pd.Series:
    """ISO timestamps or dates to naive UTC datetime64[ns]; unparseable -> NaT."""
    parsed = pd.to_datetime(values, utc=True, errors="coerce", format="ISO8601")
    return parsed.dt.tz_convert(None).astype("datetime64[ns]")


def day(values: pd.Series) -> pd.Series:
    return timestamp(values).dt.normalize()


def number(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values, errors="coerce").astype("float64")


def boolean(values: pd.Series) -> pd.Series:
    lowered = values.str.lower()
    return lowered.map(lambda v: True if v in TRUE_WORDS else False if v in FALSE_WORDS else pd.NA)


def lower(values: pd.Series) -> pd.Series:
    return values.str.lower()


def columns(frame: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """The named columns (missing ones as NA), so an absent optional entity still has its shape."""
    return frame.reindex(columns=names).astype("string")


def derive_as_of(extract_dir: Path, fmt: str, loaded: dict[str, pd.DataFrame]) -> pd.Timestamp:
    """Day after the latest past event; events after the run date + 1 day are ignored (as the warehouse)."""
    cap = pd.Timestamp(datetime.now(UTC).date() + timedelta(days=1))
    latest: list[pd.Timestamp] = []
    for entity, names in EVENT_COLUMNS.items():
        frame = loaded[entity] if entity in loaded else read_entity(extract_dir, entity, fmt, only=names)
        for name in names:
            if name in frame.columns:
                values = day(frame[name])
                latest.append(values[values <= cap].max())
    deals = loaded["opportunities"]
    if not deals.empty:
        closed = deals[boolean(deals["is_closed"]).fillna(False).astype(bool)]
        values = day(closed["close_date"])
        latest.append(values[values <= cap].max())
    known = [value for value in latest if pd.notna(value)]
    if not known:
        return pd.Timestamp(datetime.now(UTC).date())
    return min(max(known) + pd.Timedelta(days=1), cap)


def usd_rates(fx: pd.DataFrame, currency: pd.Series, on_day: pd.Series) -> pd.Series:
    """Rate to USD of each row: the latest rate on or before the day, else the earliest; USD without rates = 1."""
    rates = pd.DataFrame(
        {"rate_date": day(fx["rate_date"]), "currency": lower(fx["currency"]), "rate": number(fx["rate_to_usd"])}
    ).dropna()
    rates = rates.astype({"currency": "string"}).sort_values("rate_date")
    left = pd.DataFrame({"currency": lower(currency), "day": on_day}, index=currency.index)
    left = left.dropna().astype({"currency": "string"}).reset_index(names="row").sort_values("day")
    result = pd.Series(float("nan"), index=currency.index)
    if not left.empty and not rates.empty:
        merge = {"left_on": "day", "right_on": "rate_date", "by": "currency"}
        backward = pd.merge_asof(left, rates, direction="backward", **merge)
        forward = pd.merge_asof(left, rates, direction="forward", **merge)
        result.loc[backward["row"].to_numpy()] = backward["rate"].fillna(forward["rate"]).to_numpy()
    return result.mask(lower(currency).eq("usd") & result.isna(), 1.0)


def ratio(numerator: float, denominator: float) -> float | None:
    return None if denominator == 0 else float(numerator) / float(denominator)


def month_starts(first: pd.Timestamp, last: pd.Timestamp) -> pd.DatetimeIndex:
    return pd.date_range(first.to_period("M").to_timestamp(), last.to_period("M").to_timestamp(), freq="MS")


def deal_figures(deals_raw: pd.DataFrame, fx: pd.DataFrame, as_of: pd.Timestamp) -> dict[str, object]:
    names = ["amount", "currency", "stage", "probability", "is_closed", "is_won", "close_date", "created_at"]
    raw = columns(deals_raw, names)
    deals = pd.DataFrame(
        {
            "amount": number(raw["amount"]),
            "probability": number(raw["probability"]),
            "is_closed": boolean(raw["is_closed"]),
            "is_won": boolean(raw["is_won"]),
            "close_date": day(raw["close_date"]),
            "created": day(raw["created_at"]),
        }
    )
    deals = deals.dropna(subset=["is_closed", "is_won", "created"])
    deals = deals[deals["created"] <= as_of]
    fx_day = deals["close_date"].fillna(as_of)
    deals["amount_usd"] = deals["amount"] * usd_rates(fx, raw.loc[deals.index, "currency"], fx_day)
    closed = deals[deals["is_closed"].astype(bool) & (deals["close_date"] <= as_of)]
    won = closed[closed["is_won"].astype(bool)]
    open_deals = deals[~deals["is_closed"].astype(bool)]
    open_amounts = open_deals["amount_usd"]
    weighted = open_amounts * open_deals["probability"] / 100
    cycle_days = (won["close_date"] - won["created"]).dt.days
    won_amounts = won["amount_usd"].dropna()
    return {
        "win_rate": ratio(len(won), len(closed)),
        "won_value_usd": float(won_amounts.sum()),
        "median_sales_cycle_days": None if cycle_days.empty else float(cycle_days.median()),
        "average_deal_size_usd": None if won_amounts.empty else float(won_amounts.mean()),
        # null, not 0, when no open deal has an amount (as pipeline.pipeline_value_usd)
        "open_pipeline_usd": float(open_amounts.sum()) if open_amounts.notna().any() else None,
        "weighted_pipeline_usd": float(weighted.sum()) if weighted.notna().any() else None,
    }


def order_figures(
    orders_raw: pd.DataFrame, items_raw: pd.DataFrame, fx: pd.DataFrame, as_of: pd.Timestamp
) -> dict[str, object]:
    orders = columns(orders_raw, ["order_id", "ordered_at", "status", "currency"])
    orders = orders.assign(order_day=day(orders["ordered_at"]), status=lower(orders["status"]))
    orders = orders[(orders["status"] == "completed") & (orders["order_day"] <= as_of)]
    orders = orders.assign(rate=usd_rates(fx, orders["currency"], orders["order_day"]))
    items = columns(items_raw, ["order_id", "quantity", "unit_price", "discount_rate"])
    lines = pd.DataFrame(
        {
            "order_id": items["order_id"],
            "gross": number(items["quantity"]) * number(items["unit_price"]),
            "discount_rate": number(items["discount_rate"]).fillna(0.0),
        }
    ).dropna(subset=["order_id", "gross"])
    lines = lines.merge(orders[["order_id", "order_day", "rate"]], on="order_id", how="inner")
    lines["revenue_usd"] = lines["gross"] * (1 - lines["discount_rate"]) * lines["rate"]
    by_month: dict[str, float] = {}
    if not orders.empty:
        monthly = lines.groupby(lines["order_day"].dt.to_period("M").dt.to_timestamp())["revenue_usd"].sum()
        for month in month_starts(orders["order_day"].min(), as_of):
            by_month[month.date().isoformat()] = round(float(monthly.get(month, 0.0)), 2)
    revenue = float(lines["revenue_usd"].sum())
    return {
        "revenue_by_month": by_month,
        "average_purchase_value_usd": ratio(revenue, len(orders)),
    }


def subscription_frame(subs_raw: pd.DataFrame, fx: pd.DataFrame) -> pd.DataFrame:
    raw = columns(subs_raw, ["account_id", "mrr", "currency", "started_at", "ended_at"])
    subs = pd.DataFrame(
        {
            "account_id": raw["account_id"],
            "mrr": number(raw["mrr"]),
            "started": day(raw["started_at"]),
            "ended": day(raw["ended_at"]),
        }
    ).dropna(subset=["account_id", "mrr", "started"])
    subs["mrr_usd"] = subs["mrr"] * usd_rates(fx, raw.loc[subs.index, "currency"], subs["started"])
    return subs


def in_service(subs: pd.DataFrame, on_days: pd.Series) -> pd.Series:
    return (subs["started"] <= on_days) & (subs["ended"].isna() | (subs["ended"] >= on_days))


def retention_figures(subs: pd.DataFrame, as_of: pd.Timestamp) -> dict[str, object]:
    """Pooled monthly NRR / GRR from account-month MRR on each month's last day (as-of day for the current)."""
    if subs.empty:
        return {"net_revenue_retention": None, "gross_revenue_retention": None}
    months = pd.DataFrame({"month": month_starts(subs["started"].min(), as_of)})
    months["snapshot"] = (months["month"] + pd.offsets.MonthEnd(0)).clip(upper=as_of)
    pairs = subs.merge(months, how="cross")
    pairs["mrr_usd"] = pairs["mrr_usd"].where(in_service(pairs, pairs["snapshot"]), 0.0)
    mrr = pairs.groupby(["account_id", "month"])["mrr_usd"].sum().reset_index().sort_values("month")
    mrr["previous"] = mrr.groupby("account_id")["mrr_usd"].shift(fill_value=0.0)
    kept = mrr[mrr["previous"] > 0]
    start = kept["previous"].sum()
    churned = kept.loc[kept["mrr_usd"] == 0, "previous"].sum()
    change = kept.loc[kept["mrr_usd"] > 0, "mrr_usd"] - kept.loc[kept["mrr_usd"] > 0, "previous"]
    expansion, contraction = change[change > 0].sum(), -change[change < 0].sum()
    return {
        "net_revenue_retention": ratio(start - churned - contraction + expansion, start),
        "gross_revenue_retention": ratio(start - churned - contraction, start),
    }


def logo_churn_rate(subs: pd.DataFrame, as_of: pd.Timestamp) -> float | None:
    """Pooled churned / active at start over complete months, activity = a subscription in service."""
    if subs.empty:
        return None
    months = month_starts(subs["started"].min(), as_of)
    complete = [month for month in months if month + pd.offsets.MonthBegin(1) <= as_of]
    active_at: dict[pd.Timestamp, set[str]] = {}
    for snapshot in {*complete, *(month + pd.offsets.MonthBegin(1) for month in complete)}:
        active_at[snapshot] = set(subs.loc[in_service(subs, snapshot), "account_id"])
    at_start = sum(len(active_at[month]) for month in complete)
    churned = sum(len(active_at[month] - active_at[month + pd.offsets.MonthBegin(1)]) for month in complete)
    return ratio(churned, at_start)


def cac_usd(
    costs_raw: pd.DataFrame, orders_raw: pd.DataFrame, subs: pd.DataFrame, fx: pd.DataFrame, as_of: pd.Timestamp
) -> float | None:
    """All acquisition spend / customers acquired (first completed order or subscription start) up to as-of."""
    costs = columns(costs_raw, ["cost_month", "amount", "currency"])
    cost_month = day(costs["cost_month"])
    spend = number(costs["amount"]) * usd_rates(fx, costs["currency"], cost_month)
    spend = spend[cost_month <= as_of].sum()
    orders = columns(orders_raw, ["account_id", "ordered_at", "status"])
    completed = orders[lower(orders["status"]) == "completed"]
    starts = pd.concat(
        [
            pd.DataFrame({"account_id": completed["account_id"], "start": day(completed["ordered_at"])}),
            subs[["account_id", "started"]].rename(columns={"started": "start"}),
        ]
    ).dropna()
    acquired = starts.groupby("account_id")["start"].min()
    return ratio(spend, int((acquired <= as_of).sum()))


def survey_figures(surveys_raw: pd.DataFrame, as_of: pd.Timestamp) -> dict[str, object]:
    raw = columns(surveys_raw, ["survey_type", "score", "scale_min", "scale_max", "responded_at"])
    answers = pd.DataFrame(
        {
            "kind": lower(raw["survey_type"]),
            "score": number(raw["score"]),
            "low": number(raw["scale_min"]),
            "high": number(raw["scale_max"]),
            "responded": day(raw["responded_at"]),
        }
    ).dropna()
    answers = answers[answers["responded"] <= as_of]
    nps = answers[answers["kind"] == "nps"]
    promoters, detractors = (nps["score"] >= 9).sum(), (nps["score"] < 7).sum()
    share = (answers["score"] - answers["low"]) / (answers["high"] - answers["low"]).where(
        answers["high"] != answers["low"]
    )
    csat = (1 + 4 * share[answers["kind"] == "csat"]).dropna()
    ces = (1 + 6 * share[answers["kind"] == "ces"]).dropna()
    nps_value = ratio(100 * (promoters - detractors), len(nps))
    return {
        "nps": nps_value,
        "csat_mean": None if csat.empty else float(csat.mean()),
        "ces_mean": None if ces.empty else float(ces.mean()),
    }


def ticket_figures(tickets_raw: pd.DataFrame, as_of: pd.Timestamp) -> dict[str, object]:
    names = ["opened_at", "first_response_at", "resolved_at", "sla_first_response_hours", "sla_resolution_hours"]
    raw = columns(tickets_raw, names)
    opened = timestamp(raw["opened_at"])
    keep = opened.notna() & (opened.dt.normalize() <= as_of)
    hours_to = {
        name: (timestamp(raw[name]) - opened)[keep].dt.total_seconds() / 3600
        for name in ("first_response_at", "resolved_at")
    }
    response = hours_to["first_response_at"].where(hours_to["first_response_at"] >= 0)
    resolution = hours_to["resolved_at"].where(hours_to["resolved_at"] >= 0)
    met_response = response <= number(raw["sla_first_response_hours"])[keep]
    met_resolution = resolution <= number(raw["sla_resolution_hours"])[keep]
    responded = response.dropna()
    return {
        "avg_first_response_hours": None if responded.empty else float(responded.mean()),
        "sla_compliance_rate": ratio(int((met_response & met_resolution).sum()), int(keep.sum())),
    }


def lead_conversion_rate(leads_raw: pd.DataFrame, as_of: pd.Timestamp) -> float | None:
    raw = columns(leads_raw, ["created_at", "converted_at", "status"])
    created = day(raw["created_at"])
    keep = created.notna() & (created <= as_of)
    converted = timestamp(raw["converted_at"]).notna() | (lower(raw["status"]) == "converted")
    return ratio(int((converted & keep).sum()), int(keep.sum()))


def call_abandonment_rate(calls_raw: pd.DataFrame, as_of: pd.Timestamp) -> float | None:
    raw = columns(calls_raw, ["queued_at", "outcome"])
    queued = day(raw["queued_at"])
    outcome = lower(raw["outcome"])
    keep = (queued <= as_of) & outcome.isin(["answered", "abandoned"])
    return ratio(int((keep & (outcome == "abandoned")).sum()), int(keep.sum()))


def logins_per_active_user(logins_raw: pd.DataFrame, as_of: pd.Timestamp) -> float | None:
    """Logins / user-months with at least one login (the warehouse's active user is monthly)."""
    raw = columns(logins_raw, ["user_id", "logged_in_at"])
    logins = pd.DataFrame({"user_id": raw["user_id"], "day": day(raw["logged_in_at"])}).dropna()
    logins = logins[logins["day"] <= as_of]
    user_months = logins.assign(month=logins["day"].dt.to_period("M"))[["user_id", "month"]].drop_duplicates()
    return ratio(len(logins), len(user_months))


def headline_figures(extract_dir: Path, fmt: str = "csv", as_of: date | None = None) -> dict[str, object]:
    """The 20 headline figures of the extract in `extract_dir` (see MART_MAPPING), plus the as-of date used."""
    extract_dir = Path(extract_dir)
    entities = [
        "opportunities", "orders", "order_items", "fx_rates", "subscriptions", "tickets", "service_calls",
        "survey_responses", "leads", "acquisition_costs", "crm_logins",
    ]  # fmt: skip
    data = {entity: read_entity(extract_dir, entity, fmt) for entity in entities}
    as_of_day = pd.Timestamp(as_of) if as_of else derive_as_of(extract_dir, fmt, data)
    fx = columns(data["fx_rates"], ["rate_date", "currency", "rate_to_usd"])
    subs = subscription_frame(data["subscriptions"], fx)
    figures: dict[str, object] = {"as_of_date": as_of_day.date().isoformat()}
    figures.update(deal_figures(data["opportunities"], fx, as_of_day))
    figures.update(order_figures(data["orders"], data["order_items"], fx, as_of_day))
    figures.update(retention_figures(subs, as_of_day))
    figures["logo_churn_rate"] = logo_churn_rate(subs, as_of_day)
    figures.update(survey_figures(data["survey_responses"], as_of_day))
    figures.update(ticket_figures(data["tickets"], as_of_day))
    figures["cac_usd"] = cac_usd(data["acquisition_costs"], data["orders"], subs, fx, as_of_day)
    figures["lead_conversion_rate"] = lead_conversion_rate(data["leads"], as_of_day)
    figures["call_abandonment_rate"] = call_abandonment_rate(data["service_calls"], as_of_day)
    figures["crm_logins_per_active_user"] = logins_per_active_user(data["crm_logins"], as_of_day)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crm_warehouse.benchmarks.pandas_peer")
    parser.add_argument("extract_dir", type=Path, help="raw extract directory (<entity>.csv or .parquet)")
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv")
    parser.add_argument("--as-of", type=date.fromisoformat, help="as-of date (default: derived from the data)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    figures = headline_figures(args.extract_dir, args.format, args.as_of)
    wall = time.perf_counter() - started
    for name, value in figures.items():
        if isinstance(value, dict):
            print(f"{name}:")
            for month, amount in value.items():
                print(f"    {month}  {amount:,.2f}")
        elif isinstance(value, float):
            print(f"{name:<30}{value:,.4f}")
        else:
            print(f"{name:<30}{value}")
    print(f"{'wall time':<30}{wall:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
