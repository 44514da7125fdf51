"""crm_warehouse.analytics.trends on hand-built monthly series whose answer is known (issue 15, revenue_trends)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from crm_warehouse.analytics.trends import OUTPUT_COLUMNS, TrendSettings, forecast_trends

START = dt.date(2023, 1, 1)


def series(values: list[float] | np.ndarray, name: str = "s", complete: int | None = None) -> pd.DataFrame:
    months = pd.date_range(START, periods=len(values), freq="MS").date
    done = len(values) if complete is None else complete
    return pd.DataFrame(
        {
            "series_name": name,
            "month_start": months,
            "value": np.asarray(values, dtype=float),
            "is_complete_month": [i < done for i in range(len(values))],
        }
    )


def month(i: int) -> dt.date:
    return (pd.Timestamp(START) + pd.DateOffset(months=i)).date()


@pytest.mark.parametrize(("months", "model"), [(18, "ETS(A,A,N)"), (30, "ETS(A,A,A)")])
def test_a_straight_line_forecasts_the_line(months: int, model: str) -> None:
    out = forecast_trends(series(100 + 5 * np.arange(months)))
    forecast = out[out["is_forecast"]]
    assert forecast["month_start"].tolist() == [month(months + h) for h in range(6)]
    expected = 100 + 5 * np.arange(months, months + 6)
    np.testing.assert_allclose(forecast["forecast_value"], expected, rtol=0, atol=1e-3)
    np.testing.assert_allclose(forecast["trend_value"], expected, rtol=0, atol=1e-3)
    assert set(out["model_name"]) == {model}
    # a perfect fit leaves no error: the intervals close on the line
    np.testing.assert_allclose(forecast["forecast_upper_95"] - forecast["forecast_lower_95"], 0, atol=1e-2)
    # the backtest fit on the months before the last six forecasts them exactly
    backtest = out.dropna(subset=["backtest_forecast_value"])
    assert backtest["month_start"].tolist() == [month(months - 6 + h) for h in range(6)]
    np.testing.assert_allclose(backtest["backtest_forecast_value"], 100 + 5 * np.arange(months - 6, months), atol=1e-3)


def test_seasonality_only_with_two_full_years() -> None:
    line = list(100 + 5 * np.arange(30))
    short = forecast_trends(series(line[:23]))
    assert set(short["model_name"]) == {"ETS(A,A,N)"} and short["seasonal_value"].isna().all()
    assert not short["is_seasonal"].any()
    full = forecast_trends(series(line[:24]))
    assert set(full["model_name"]) == {"ETS(A,A,A)"} and full["is_seasonal"].all()
    assert full["seasonal_value"].notna().all()
    # 24 fitted months, but the backtest fits 18: without seasonality
    assert set(full["backtest_model_name"].dropna()) == {"ETS(A,A,N)"}


def test_a_seasonal_pattern_is_recovered_and_forecast() -> None:
    pattern = np.array([-30, -20, -10, 0, 10, 20, 30, 20, 10, 0, -10, -20], dtype=float)  # sums to 0
    t = np.arange(36)
    values = 500 + 4 * t + pattern[t % 12]
    out = forecast_trends(series(values))
    forecast = out[out["is_forecast"]]
    future = np.arange(36, 42)
    np.testing.assert_allclose(forecast["forecast_value"], 500 + 4 * future + pattern[future % 12], atol=0.5)
    np.testing.assert_allclose(forecast["seasonal_value"], pattern[future % 12], atol=0.5)
    np.testing.assert_allclose(forecast["forecast_value"], forecast["trend_value"] + forecast["seasonal_value"])
    history = out[~out["is_forecast"]]
    np.testing.assert_allclose(history["trend_value"].iloc[-12:], 500 + 4 * t[-12:], atol=0.5)


def test_only_complete_months_are_fitted() -> None:
    """The running as-of month (a partial 3) is not fitted: the forecast starts right after it."""
    values = [*(100 + 5 * np.arange(20.0)), 3.0]
    out = forecast_trends(series(values, complete=20))
    assert out["fit_months"].unique().tolist() == [20]
    assert month(20) not in set(out.loc[~out["is_forecast"], "month_start"])
    forecast = out[out["is_forecast"]]
    assert forecast["month_start"].iloc[0] == month(20)
    assert forecast["forecast_value"].iloc[0] == pytest.approx(200.0, abs=1e-3)


def test_intervals_nest_and_never_go_below_zero() -> None:
    rng = np.random.default_rng(7)
    values = np.maximum(0, 5 + rng.normal(0, 4, 30))
    out = forecast_trends(series(values))
    forecast = out[out["is_forecast"]]
    assert (forecast["forecast_lower_95"] >= 0).all() and (forecast["forecast_lower_80"] >= 0).all()
    assert (forecast["forecast_lower_95"] <= forecast["forecast_lower_80"]).all()
    assert (forecast["forecast_upper_80"] <= forecast["forecast_upper_95"]).all()
    assert (forecast["forecast_upper_80"] > forecast["forecast_value"]).all()
    width_80 = forecast["forecast_upper_80"] - forecast["forecast_value"]
    width_95 = forecast["forecast_upper_95"] - forecast["forecast_value"]
    np.testing.assert_allclose(width_95 / width_80, 1.959964 / 1.281552, rtol=1e-4)  # normal quantiles


def test_short_series_are_not_fitted_and_series_are_independent() -> None:
    frame = pd.concat([series([1.0, 2.0, 3.0, 4.0, 5.0], name="short"), series(10 + 2 * np.arange(12.0), name="b")])
    out = forecast_trends(frame, TrendSettings(min_fit_months=6))
    assert set(out["series_name"]) == {"b"}
    assert list(out.columns) == OUTPUT_COLUMNS
    b = out[out["is_forecast"]]
    np.testing.assert_allclose(b["forecast_value"], 10 + 2 * np.arange(12, 18), atol=1e-3)
    # 12 months: the backtest fits 6, the minimum, and still forecasts the line
    np.testing.assert_allclose(out["backtest_forecast_value"].dropna(), 10 + 2 * np.arange(6, 12), atol=1e-3)
    empty = forecast_trends(series([1.0, 2.0]))
    assert empty.empty and list(empty.columns) == OUTPUT_COLUMNS
