"""Trend, seasonality and a 6-month forecast of the monthly revenue series, with a backtest (revenue_trends).

Called by the dbt Python model int_revenue_trends_forecasted (models/intermediate/metrics/trends/). Input: the long
monthly series of int_revenue_trend_months_compared (series_name, month_start, series_value read as value,
is_complete_month): revenue, new pipeline, won deals and won amount.

Method, per series, on its complete months only (a month whose last day is before the as-of date; the as-of month is
still running):

- Model: statsmodels ETSModel with additive error and additive trend, fitted by maximum likelihood; with an additive
  12-month seasonal component only when the fitted months cover at least two full years (`seasonal_min_months`,
  24), else without. `model_name` says which: ETS(A,A,A) or ETS(A,A,N). Fewer than `min_fit_months` complete months
  (or a series with a null month): no fit, no rows.
- Components of a fitted month: trend_value = the smoothed level (the deseasonalised series), seasonal_value = the
  seasonal state (null without seasonality), fitted_value = the one-step-ahead prediction. The seasonal states are
  centred so that the last fitted year's 12 sum to 0 (the level takes the constant: their sum is unchanged).
- Forecast: the `horizon_months` months after the last complete month. forecast_value = trend_value +
  seasonal_value, with trend_value = last level + h x last slope and seasonal_value = the seasonal state of the same
  calendar month in the last fitted year; prediction intervals at 80% and 95% from the model's error variance. The
  series cannot be negative, so an interval's lower end is clipped at 0 (the mean is not).
- Backtest: the same specification rule refitted on every complete month but the last `backtest_months`; its
  forecast of those months (backtest_forecast_value, with its 95% interval and backtest_model_name) sits beside
  the actual values (the revenue_trends_backtest mart turns them into MAE and MAPE). No backtest when the shorter
  history cannot be fitted.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

SEASON = 12
OUTPUT_COLUMNS = [
    "series_name",
    "month_start",
    "is_forecast",
    "fitted_value",
    "trend_value",
    "seasonal_value",
    "forecast_value",
    "forecast_lower_80",
    "forecast_upper_80",
    "forecast_lower_95",
    "forecast_upper_95",
    "backtest_forecast_value",
    "backtest_lower_95",
    "backtest_upper_95",
    "backtest_model_name",
    "model_name",
    "is_seasonal",
    "fit_months",
]

BACKTEST_COLUMNS = ["backtest_forecast_value", "backtest_lower_95", "backtest_upper_95", "backtest_model_name"]


@dataclass(frozen=True)
class TrendSettings:
    horizon_months: int = 6
    backtest_months: int = 6
    seasonal_min_months: int = 2 * SEASON
    min_fit_months: int = 6


@dataclass(frozen=True)
class Fit:
    """One series' fit: its fitted months' components and the forecast of the months after."""

    model_name: str
    is_seasonal: bool
    fit_months: int
    history: pd.DataFrame  # month_start, fitted_value, trend_value, seasonal_value
    forecast: pd.DataFrame  # month_start, trend_value, seasonal_value, forecast_value, forecast_lower/upper_80/95


def fit_series(values: pd.Series, settings: TrendSettings, horizon: int | None = None) -> Fit | None:
    """ETS fit of a monthly series indexed by consecutive month starts; None when it is too short to fit."""
    horizon = settings.horizon_months if horizon is None else horizon
    y = pd.Series(np.asarray(values, dtype=float), index=pd.DatetimeIndex(values.index, freq="MS"))
    if len(y) < settings.min_fit_months or y.isna().any():
        return None
    seasonal = len(y) >= settings.seasonal_min_months
    model = ETSModel(
        y, error="add", trend="add", seasonal="add" if seasonal else None, seasonal_periods=SEASON if seasonal else None
    )
    with warnings.catch_warnings():
        # A near-perfect series (e.g. a straight line) leaves the optimiser at its bound: the fit is still exact.
        warnings.simplefilter("ignore")
        result = model.fit(disp=False)
    level = np.asarray(result.level, dtype=float)
    slope = np.asarray(result.slope, dtype=float)
    season = np.asarray(result.season, dtype=float) if seasonal else None
    if season is not None:
        # ETS seasonal states are defined up to a constant the level takes up: centre them on the last fitted year
        # (its 12 states sum to 0) so the seasonal component reads as the month's deviation from the trend.
        offset = float(season[-SEASON:].mean())
        season = season - offset
        level = level + offset
    history = pd.DataFrame(
        {
            "month_start": y.index,
            "fitted_value": np.asarray(result.fittedvalues, dtype=float),
            "trend_value": level,
            "seasonal_value": season if season is not None else np.nan,
        }
    )
    steps = np.arange(1, horizon + 1)
    trend = level[-1] + steps * slope[-1]
    seasonal_part = season[len(season) - SEASON + (steps - 1) % SEASON] if season is not None else np.zeros(horizon)
    future = pd.date_range(y.index[-1] + pd.offsets.MonthBegin(1), periods=horizon, freq="MS")
    forecast = pd.DataFrame(
        {
            "month_start": future,
            "trend_value": trend,
            "seasonal_value": seasonal_part if season is not None else np.nan,
            "forecast_value": trend + seasonal_part,
        }
    )
    for level_pct, alpha in ((80, 0.2), (95, 0.05)):
        frame = result.get_prediction(start=len(y), end=len(y) + horizon - 1).summary_frame(alpha=alpha)
        forecast[f"forecast_lower_{level_pct}"] = np.maximum(frame["pi_lower"].to_numpy(dtype=float), 0.0)
        forecast[f"forecast_upper_{level_pct}"] = frame["pi_upper"].to_numpy(dtype=float)
    return Fit(
        model_name="ETS(A,A,A)" if seasonal else "ETS(A,A,N)",
        is_seasonal=seasonal,
        fit_months=len(y),
        history=history,
        forecast=forecast,
    )


def backtest_series(values: pd.Series, settings: TrendSettings) -> pd.DataFrame:
    """The forecast of the last `backtest_months` months from a fit on the months before them (month_start,
    backtest_forecast_value, backtest_lower_95, backtest_upper_95, backtest_model_name); empty when that shorter
    history cannot be fitted (the rule for seasonality applies to the shorter history)."""
    columns = ["month_start", *BACKTEST_COLUMNS]
    held_out = settings.backtest_months
    if len(values) <= held_out:
        return pd.DataFrame(columns=columns)
    fit = fit_series(values.iloc[:-held_out], settings, horizon=held_out)
    if fit is None:
        return pd.DataFrame(columns=columns)
    return fit.forecast.assign(backtest_model_name=fit.model_name).rename(
        columns={
            "forecast_value": "backtest_forecast_value",
            "forecast_lower_95": "backtest_lower_95",
            "forecast_upper_95": "backtest_upper_95",
        }
    )[columns]


def forecast_trends(series: pd.DataFrame, settings: TrendSettings | None = None) -> pd.DataFrame:
    """Per series: its complete months with components (and the backtest forecast of the last ones), then the
    forecast months. `series` holds series_name, month_start, value, is_complete_month."""
    settings = settings or TrendSettings()
    frames = []
    complete = series[series["is_complete_month"].astype(bool)].copy()
    complete["month_start"] = pd.to_datetime(complete["month_start"])
    for name, rows in complete.groupby("series_name", sort=True):
        values = rows.sort_values("month_start").set_index("month_start")["value"].astype(float)
        fit = fit_series(values, settings)
        if fit is None:
            continue
        backtest = backtest_series(values, settings)
        history = fit.history.assign(is_forecast=False)
        if backtest.empty:
            history = history.assign(**dict.fromkeys(backtest.columns[1:], np.nan))
        else:
            history = history.merge(backtest, on="month_start", how="left")
        forecast = fit.forecast.assign(is_forecast=True)
        frame = pd.concat([history, forecast], ignore_index=True)
        frame["series_name"] = name
        frame["model_name"] = fit.model_name
        frame["is_seasonal"] = fit.is_seasonal
        frame["fit_months"] = fit.fit_months
        frames.append(frame)
    if not frames:
        return empty_output()
    out = pd.concat(frames, ignore_index=True).reindex(columns=OUTPUT_COLUMNS)
    out["month_start"] = pd.to_datetime(out["month_start"]).dt.date
    float_columns = [c for c in OUTPUT_COLUMNS if c.endswith(("_value", "_80", "_95"))]
    out[float_columns] = out[float_columns].astype(float)
    out["is_forecast"] = out["is_forecast"].astype(bool)
    out["is_seasonal"] = out["is_seasonal"].astype(bool)
    out["fit_months"] = out["fit_months"].astype("int64")
    return out


def empty_output() -> pd.DataFrame:
    """No series could be fitted: the output's columns with their types and no row."""
    frame = pd.DataFrame({column: pd.Series(dtype=float) for column in OUTPUT_COLUMNS})
    frame["series_name"] = pd.Series(dtype=str)
    frame["model_name"] = pd.Series(dtype=str)
    frame["backtest_model_name"] = pd.Series(dtype=str)
    frame["month_start"] = pd.Series(dtype="datetime64[ns]")
    frame["is_forecast"] = pd.Series(dtype=bool)
    frame["is_seasonal"] = pd.Series(dtype=bool)
    frame["fit_months"] = pd.Series(dtype="int64")
    return frame
