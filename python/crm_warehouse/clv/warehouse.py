"""The warehouse's CLV step: fit BG/NBD and Gamma-Gamma on the per-account summary, guard the fit, score accounts.

Called by the dbt Python models int_customer_value_parameters_fitted and int_customer_value_scored
(models/intermediate/metrics/clv/), with the same fitting and scoring functions python/tests/test_clv_cdnow.py
validates on CDNOW. Input: one row per account with frequency (repeat purchase days), recency_weeks, t_weeks and
monetary_value_usd (mean revenue of its repeat purchase days; null when it has none or an amount is unknown).

The guard: users never see parameters of a fit that failed or is degenerate. Each of the two fits gets a status,
'fitted', 'not_fitted' (too little data, or the optimiser did not converge to finite values) or 'degenerate'
(converged, but to parameters that describe no plausible population: a shape parameter outside
[1 / max_shape, max_shape], or Gamma-Gamma q <= 1, where the mean order value is undefined), and a plain reason.
Only 'fitted' parameters are published and used for scoring.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from crm_warehouse.clv import bgnbd, gamma_gamma

FITTED = "fitted"
NOT_FITTED = "not_fitted"
DEGENERATE = "degenerate"
DAYS_PER_WEEK = 7.0
DAYS_PER_MONTH = 365.25 / 12


@dataclass(frozen=True)
class FitSettings:
    min_customers: int = 50
    min_repeat_customers: int = 20
    max_shape_parameter: float = 1000.0


@dataclass(frozen=True)
class FitOutcome:
    status: str
    reason: str
    params: tuple[float, ...] | None = None
    log_likelihood: float | None = None


def _shape_problem(names: dict[str, float], max_shape: float) -> str | None:
    for name, value in names.items():
        if not (1.0 / max_shape <= value <= max_shape):
            return f"{name} = {value:.4g} is outside [1/{max_shape:g}, {max_shape:g}] (var clv_max_shape_parameter)"
    return None


def fit_bgnbd(summary: pd.DataFrame, settings: FitSettings) -> FitOutcome:
    customers = len(summary)
    repeat = int((summary["frequency"] > 0).sum())
    if customers < settings.min_customers:
        return FitOutcome(
            NOT_FITTED, f"{customers} customers, fewer than var clv_min_customers = {settings.min_customers}"
        )
    if repeat < settings.min_repeat_customers:
        return FitOutcome(
            NOT_FITTED,
            f"{repeat} repeat customers, fewer than var clv_min_repeat_customers = {settings.min_repeat_customers}",
        )
    try:
        with np.errstate(all="ignore"):
            fitted = bgnbd.fit(summary["frequency"], summary["recency_weeks"], summary["t_weeks"])
    except (ValueError, FloatingPointError, OverflowError) as error:
        return FitOutcome(NOT_FITTED, f"BG/NBD optimiser failed: {error}")
    params = (fitted.r, fitted.alpha, fitted.a, fitted.b)
    if not all(math.isfinite(v) for v in (*params, fitted.log_likelihood)):
        return FitOutcome(NOT_FITTED, "BG/NBD optimiser did not reach finite parameters")
    problem = _shape_problem({"r": fitted.r, "a": fitted.a, "b": fitted.b}, settings.max_shape_parameter)
    if problem is None and not (0 < fitted.alpha < 1e6):
        problem = f"alpha = {fitted.alpha:.4g} weeks is outside (0, 1e6)"
    if problem is not None:
        return FitOutcome(DEGENERATE, f"BG/NBD degenerate: {problem}", params, fitted.log_likelihood)
    return FitOutcome(FITTED, "", params, fitted.log_likelihood)


def gamma_gamma_sample(summary: pd.DataFrame) -> pd.DataFrame:
    """Customers the spend model is fitted on: a repeat purchase and a known, positive mean repeat value."""
    m = summary["monetary_value_usd"]
    return summary[(summary["frequency"] > 0) & m.notna() & (m > 0)]


def fit_gamma_gamma(summary: pd.DataFrame, settings: FitSettings) -> FitOutcome:
    sample = gamma_gamma_sample(summary)
    if len(sample) < settings.min_repeat_customers:
        return FitOutcome(
            NOT_FITTED,
            f"{len(sample)} repeat customers with a known order value, fewer than var clv_min_repeat_customers"
            f" = {settings.min_repeat_customers}",
        )
    try:
        with np.errstate(all="ignore"):
            fitted = gamma_gamma.fit(sample["frequency"], sample["monetary_value_usd"].astype(float))
    except (ValueError, FloatingPointError, OverflowError) as error:
        return FitOutcome(NOT_FITTED, f"Gamma-Gamma optimiser failed: {error}")
    params = (fitted.p, fitted.q, fitted.v)
    if not all(math.isfinite(v) for v in (*params, fitted.log_likelihood)):
        return FitOutcome(NOT_FITTED, "Gamma-Gamma optimiser did not reach finite parameters")
    if fitted.q <= 1:
        return FitOutcome(
            DEGENERATE,
            f"Gamma-Gamma degenerate: q = {fitted.q:.4g} <= 1, the mean order value is undefined",
            params,
            fitted.log_likelihood,
        )
    problem = _shape_problem({"p": fitted.p, "q": fitted.q}, settings.max_shape_parameter)
    if problem is None and not (0 < fitted.v < 1e12):
        problem = f"gamma = {fitted.v:.4g} is outside (0, 1e12)"
    if problem is not None:
        return FitOutcome(DEGENERATE, f"Gamma-Gamma degenerate: {problem}", params, fitted.log_likelihood)
    return FitOutcome(FITTED, "", params, fitted.log_likelihood)


PARAMETER_COLUMNS = [
    "calibration_end_date",
    "customers_fitted",
    "repeat_customers",
    "gamma_gamma_customers_fitted",
    "fit_status",
    "fit_reason",
    "bgnbd_fit_status",
    "bgnbd_fit_reason",
    "gamma_gamma_fit_status",
    "gamma_gamma_fit_reason",
    "r",
    "alpha",
    "a",
    "b",
    "bgnbd_log_likelihood",
    "p",
    "q",
    "gamma",
    "gamma_gamma_log_likelihood",
]


def fit_parameters(summary: pd.DataFrame, calibration_end_date: object, settings: FitSettings) -> pd.DataFrame:
    """One row: both fits, their status and reason; parameters only where the fit is 'fitted'."""
    bg = fit_bgnbd(summary, settings)
    gg = fit_gamma_gamma(summary, settings)
    if bg.status != FITTED:
        fit_status, fit_reason = bg.status, bg.reason
    elif gg.status != FITTED:
        fit_status = gg.status
        fit_reason = f"{gg.reason}; BG/NBD fitted: purchases and P(alive) are scored, order value and CLV are null"
    else:
        fit_status, fit_reason = FITTED, ""
    bg_values = bg.params if bg.status == FITTED and bg.params else (None,) * 4
    gg_values = gg.params if gg.status == FITTED and gg.params else (None,) * 3
    row = {
        "calibration_end_date": calibration_end_date,
        "customers_fitted": len(summary),
        "repeat_customers": int((summary["frequency"] > 0).sum()),
        "gamma_gamma_customers_fitted": len(gamma_gamma_sample(summary)),
        "fit_status": fit_status,
        "fit_reason": fit_reason or None,
        "bgnbd_fit_status": bg.status,
        "bgnbd_fit_reason": bg.reason or None,
        "gamma_gamma_fit_status": gg.status,
        "gamma_gamma_fit_reason": gg.reason or None,
        **dict(zip(["r", "alpha", "a", "b"], bg_values, strict=True)),
        "bgnbd_log_likelihood": bg.log_likelihood if bg.status == FITTED else None,
        **dict(zip(["p", "q", "gamma"], gg_values, strict=True)),
        "gamma_gamma_log_likelihood": gg.log_likelihood if gg.status == FITTED else None,
    }
    frame = pd.DataFrame([row], columns=PARAMETER_COLUMNS)
    for column in ["r", "alpha", "a", "b", "bgnbd_log_likelihood", "p", "q", "gamma", "gamma_gamma_log_likelihood"]:
        frame[column] = frame[column].astype("float64")
    return frame


def horizon_weeks(months: float) -> float:
    return months * DAYS_PER_MONTH / DAYS_PER_WEEK


SCORE_COLUMNS = [
    "account_id",
    "horizon_weeks",
    "expected_purchases",
    "discounted_expected_purchases",
    "p_alive",
    "expected_average_order_value_usd",
]


def score_customers(
    summary: pd.DataFrame, parameters: pd.DataFrame, horizon_months: float, annual_discount_rate: float
) -> pd.DataFrame:
    """Per account: expected purchase days in the horizon, the same discounted per month, P(alive), E[order value].

    discounted_expected_purchases = sum over the horizon's months i of (E[Y(t_i)] - E[Y(t_(i-1))]) /
    (1 + annual rate)^(t_i in years), so CLV = discounted_expected_purchases x E[order value] x margin (what
    crm_warehouse.clv.summary.clv computes for a constant value and margin). Null where the fit is not 'fitted'.
    """
    row = parameters.iloc[0]
    weeks = horizon_weeks(horizon_months)
    # A string column even when empty (an empty object column would reach DuckDB as INTEGER).
    out = pd.DataFrame({"account_id": summary["account_id"].astype("string")})
    out["horizon_weeks"] = weeks
    n = len(summary)
    x = summary["frequency"].to_numpy(dtype=float)
    t_x = summary["recency_weeks"].to_numpy(dtype=float)
    t = summary["t_weeks"].to_numpy(dtype=float)
    if row["bgnbd_fit_status"] == FITTED:
        bg = bgnbd.BgNbdParams(row["r"], row["alpha"], row["a"], row["b"], row["bgnbd_log_likelihood"])
        steps = max(1, math.ceil(horizon_months))
        edges = np.linspace(0.0, weeks, steps + 1)
        previous = np.zeros(n)
        discounted = np.zeros(n)
        for edge in edges[1:]:
            cumulative = bgnbd.conditional_expected_transactions(bg, float(edge), x, t_x, t)
            years = edge * DAYS_PER_WEEK / 365.25
            discounted += (cumulative - previous) / (1.0 + annual_discount_rate) ** years
            previous = cumulative
        out["expected_purchases"] = previous
        out["discounted_expected_purchases"] = discounted
        out["p_alive"] = bgnbd.probability_alive(bg, x, t_x, t)
    else:
        for column in ["expected_purchases", "discounted_expected_purchases", "p_alive"]:
            out[column] = np.full(n, np.nan)
    if row["gamma_gamma_fit_status"] == FITTED:
        gg = gamma_gamma.GammaGammaParams(row["p"], row["q"], row["gamma"], row["gamma_gamma_log_likelihood"])
        m = summary["monetary_value_usd"].to_numpy(dtype=float)
        value = gamma_gamma.expected_average_value(gg, x, m)
        # A repeat customer whose mean repeat value is unknown (an unconverted amount) gets no estimate.
        out["expected_average_order_value_usd"] = np.where((x > 0) & np.isnan(m), np.nan, value)
    else:
        out["expected_average_order_value_usd"] = np.full(n, np.nan)
    return out[SCORE_COLUMNS]
