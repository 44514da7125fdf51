"""Trends: monthly revenue, new pipeline, won deals and won amount with their month-over-month and year-over-year
change, the ETS trend and seasonal components and a 6-month forecast with its prediction intervals
(revenue_trends), and how far the forecast was off on the last known months (revenue_trends_backtest). Every
number is a mart value."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from crm_warehouse.app import components, labels, queries
from crm_warehouse.app.definitions import describe
from crm_warehouse.app.filters import Filters, mart_where
from crm_warehouse.app.queries import Where

TITLE = "Trends"
ICON = ":material/trending_up:"
SERIES_NAMES = {
    "revenue_usd": "Revenue",
    "new_pipeline_usd": "New pipeline",
    "won_deals": "Won deals",
    "won_amount_usd": "Won amount",
}
TABLE_COLUMNS = [
    "series_month",
    "is_forecast",
    "is_complete_month",
    "actual_value",
    "change_mom",
    "growth_mom",
    "change_yoy",
    "growth_yoy",
    "trend_value",
    "seasonal_value",
    "forecast_value",
    "forecast_lower_80",
    "forecast_upper_80",
    "forecast_lower_95",
    "forecast_upper_95",
    "backtest_forecast_value",
]
BAND = "rgba(31, 119, 180, {alpha})"


def value_kind(unit: str) -> str:
    return "usd" if unit == "usd" else "number"


def render(filters: Filters) -> None:
    _, unavailable = mart_where("revenue_trends", filters, dates=False)
    trends = queries.select("revenue_trends", order_by=["series_name", "series_month"])
    if components.empty(trends, "trends"):
        return
    available = [s for s in SERIES_NAMES if s in set(trends["series_name"])]
    chosen = st.selectbox("Series", available, format_func=SERIES_NAMES.get, key="trend_series")
    rows = trends[trends["series_name"] == chosen]
    unit = rows["series_unit"].iloc[0]
    kind = value_kind(unit)
    st.caption(
        "The whole history, all accounts: the series is not split by the sidebar filters. The forecast is an"
        " exponential-smoothing (ETS) model fitted on the complete months"
        + (" with a 12-month seasonal pattern" if bool(rows["is_seasonal"].fillna(False).any()) else "")
        + "; the bands hold the next months' value with 80% and 95% probability if the past pattern goes on."
    )
    components.scope_note(unavailable, filters)
    complete = rows[rows["is_complete_month"]]
    if not complete.empty:
        last = complete.iloc[-1]
        forecast = rows[rows["is_forecast"]]
        tiles: list[tuple[str, str, str | None, str | None]] = [
            (
                f"{SERIES_NAMES[chosen]}, {last['series_month']:%B %Y}",
                components.format_value(last["actual_value"], kind),
                components.format_delta(last["actual_value"], last["previous_month_value"], kind),
                describe("revenue_trends", "actual_value"),
            ),
            (
                "Growth, year over year",
                components.format_value(last["growth_yoy"], "rate"),
                None,
                describe("revenue_trends", "growth_yoy"),
            ),
        ]
        if not forecast.empty:
            first = forecast.iloc[0]
            tiles.append(
                (
                    f"Forecast, {first['series_month']:%B %Y}",
                    components.format_value(first["forecast_value"], kind),
                    None,
                    describe("revenue_trends", "forecast_value"),
                )
            )
        for column, (label, value, delta, help_text) in zip(st.columns(len(tiles)), tiles, strict=True):
            with column:
                st.metric(label, value, delta, help=help_text, border=True)
    components.chart(series_chart(rows, SERIES_NAMES[chosen], unit), "trends_series")
    seasonal = complete.dropna(subset=["seasonal_value"]).tail(12)
    if not seasonal.empty:
        components.chart(
            px.bar(
                seasonal.assign(calendar_month=seasonal["series_month"].map(lambda d: f"{d:%b}")),
                x="calendar_month",
                y="seasonal_value",
                title="Seasonal component: each month's deviation from the trend (last fitted year)",
            ),
            "trends_seasonal",
            {"calendar_month": "Month", "seasonal_value": f"Seasonal component ({unit_label(unit)})"},
        )
    components.table(rows[TABLE_COLUMNS], "revenue_trends", "trends_table", f"{SERIES_NAMES[chosen]} by month")

    st.subheader("Backtest: the forecast of the last known months, made without them")
    backtest = queries.select("revenue_trends_backtest", where=Where(equals={"series_name": chosen}))
    if components.empty(backtest, "backtest (the series is too short)"):
        return
    row = backtest.iloc[0]
    tiles_bt = [("mape", "rate"), ("mae", kind), ("mean_error", kind), ("coverage_95", "rate")]
    names = {"mape": "MAPE", "mae": "MAE", "mean_error": "Bias (mean error)", "coverage_95": "Inside the 95% band"}
    for column, (name, shown) in zip(st.columns(len(tiles_bt)), tiles_bt, strict=True):
        with column:
            st.metric(
                names[name],
                components.format_value(row[name], shown),
                help=describe("revenue_trends_backtest", name),
                border=True,
            )
    held_out = rows.dropna(subset=["backtest_forecast_value"])
    components.chart(
        px.line(
            held_out,
            x="series_month",
            y=["actual_value", "backtest_forecast_value"],
            markers=True,
            title=f"Backtest over {int(row['backtest_months'])} months: actual vs forecast",
        ),
        "trends_backtest",
        {"value": unit_label(unit).capitalize()},
    )
    components.table(backtest, "revenue_trends_backtest", "trends_backtest_table")


def unit_label(unit: str) -> str:
    return "USD" if unit == "usd" else "deals"


def series_chart(rows: pd.DataFrame, name: str, unit: str) -> go.Figure:
    """Actual values of the complete months, the ETS trend, and the forecast with its 80% and 95% bands."""
    forecast = rows[rows["is_forecast"]]
    figure = go.Figure()
    for level, alpha in ((95, 0.12), (80, 0.25)):
        figure.add_trace(
            go.Scatter(
                x=list(forecast["series_month"]) + list(forecast["series_month"])[::-1],
                y=list(forecast[f"forecast_upper_{level}"]) + list(forecast[f"forecast_lower_{level}"])[::-1],
                fill="toself",
                fillcolor=BAND.format(alpha=alpha),
                mode="lines",
                line={"width": 0},
                hoverinfo="skip",
                name=f"{level}% prediction interval",
            )
        )
    actual = rows[rows["is_complete_month"]]  # the running as-of month holds only its first days
    figure.add_trace(
        go.Scatter(x=actual["series_month"], y=actual["actual_value"], mode="lines+markers", name="Actual")
    )
    trend = rows[rows["trend_value"].notna()]
    figure.add_trace(
        go.Scatter(x=trend["series_month"], y=trend["trend_value"], mode="lines", name="Trend", line={"dash": "dot"})
    )
    figure.add_trace(
        go.Scatter(x=forecast["series_month"], y=forecast["forecast_value"], mode="lines+markers", name="Forecast")
    )
    figure.update_layout(
        title=f"{name}: actual, trend and 6-month forecast",
        xaxis_title=labels.label("series_month"),
        yaxis_title=f"{name} ({unit_label(unit)})",
    )
    if unit == "usd":
        figure.update_yaxes(tickprefix="$")
    return figure
