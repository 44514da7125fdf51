"""The warehouse's CLV guard and scoring (crm_warehouse.clv.warehouse), without dbt.

Expected statuses follow from the documented rules; the discounted score is checked against
crm_warehouse.clv.summary.clv (the CLV the CDNOW test's functions define) with value and margin 1.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crm_warehouse.clv import gamma_gamma, warehouse
from crm_warehouse.clv.bgnbd import BgNbdParams
from crm_warehouse.clv.gamma_gamma import GammaGammaParams
from crm_warehouse.clv.summary import clv

SUMMARY = pd.DataFrame(
    {
        "account_id": ["A", "B", "C"],
        "frequency": [2.0, 0.0, 5.0],
        "recency_weeks": [30.0, 0.0, 20.0],
        "t_weeks": [38.0, 10.0, 39.0],
        "monetary_value_usd": [40.0, np.nan, np.nan],  # C: a repeat customer whose order value is unknown
    }
)


def parameters(bg_status: str = "fitted", gg_status: str = "fitted") -> pd.DataFrame:
    # The published CDNOW parameters (Fader, Hardie and Lee 2005 / 2005b).
    return pd.DataFrame(
        [
            {
                "bgnbd_fit_status": bg_status,
                "gamma_gamma_fit_status": gg_status,
                "r": 0.243,
                "alpha": 4.414,
                "a": 0.793,
                "b": 2.426,
                "bgnbd_log_likelihood": -9582.43,
                "p": 6.25,
                "q": 3.74,
                "gamma": 15.44,
                "gamma_gamma_log_likelihood": 0.0,
            }
        ]
    )


def test_too_few_customers_is_not_fitted_with_the_reason() -> None:
    row = warehouse.fit_parameters(SUMMARY, "2025-06-30", warehouse.FitSettings()).iloc[0]
    assert (row["fit_status"], row["bgnbd_fit_status"], row["gamma_gamma_fit_status"]) == (
        "not_fitted",
        "not_fitted",
        "not_fitted",
    )
    assert row["fit_reason"] == "3 customers, fewer than var clv_min_customers = 50"
    assert pd.isna(row["r"]) and pd.isna(row["p"])


def test_gamma_gamma_q_at_most_one_is_degenerate(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gamma_gamma, "fit", lambda x, m: GammaGammaParams(5.0, 0.9, 10.0, -100.0))
    settings = warehouse.FitSettings(min_customers=1, min_repeat_customers=1)
    outcome = warehouse.fit_gamma_gamma(SUMMARY, settings)
    assert outcome.status == "degenerate"
    assert "q = 0.9 <= 1" in outcome.reason


def test_a_shape_parameter_at_an_absurd_bound_is_degenerate(monkeypatch: pytest.MonkeyPatch) -> None:
    # The demo's earlier fit: p = 6256, q = 1.04.
    monkeypatch.setattr(gamma_gamma, "fit", lambda x, m: GammaGammaParams(6256.0, 1.04, 10.0, -100.0))
    settings = warehouse.FitSettings(min_customers=1, min_repeat_customers=1)
    outcome = warehouse.fit_gamma_gamma(SUMMARY, settings)
    assert outcome.status == "degenerate"
    assert outcome.reason.startswith("Gamma-Gamma degenerate: p = 6256 is outside [1/1000, 1000]")


def test_scores_match_the_clv_function_and_unknown_values_stay_null() -> None:
    scores = warehouse.score_customers(SUMMARY, parameters(), horizon_months=12, annual_discount_rate=0.1)
    weeks = 12 * 365.25 / 12 / 7
    assert scores["horizon_weeks"].iloc[0] == pytest.approx(weeks)
    bg = BgNbdParams(0.243, 4.414, 0.793, 2.426, -9582.43)
    # clv() discounts per period (week) at a rate; the monthly step's weekly rate equal to 10% a year:
    weekly = 1.1 ** (7 / 365.25) - 1
    x, t_x, t = (SUMMARY[c].to_numpy() for c in ("frequency", "recency_weeks", "t_weeks"))
    unit = GammaGammaParams(1.0, 2.0, 1.0, 0.0)  # E[M] = (v + x m) / (x + 1) = 1 with m = 1
    expected = clv(bg, unit, x, t_x, t, np.ones(3), weeks, margin=1.0, discount_rate_per_period=weekly, steps=12)
    assert scores["discounted_expected_purchases"].to_numpy() == pytest.approx(expected)
    assert (scores["discounted_expected_purchases"] < scores["expected_purchases"]).all()
    assert scores["p_alive"].iloc[1] == 1.0  # no repeat purchase: cannot have dropped out
    # A: (p (gamma + x m)) / (p x + q - 1) = 6.25 (15.44 + 80) / (12.5 + 2.74); B: population mean p gamma / (q - 1).
    assert scores["expected_average_order_value_usd"].iloc[0] == pytest.approx(6.25 * 95.44 / 15.24)
    assert scores["expected_average_order_value_usd"].iloc[1] == pytest.approx(6.25 * 15.44 / 2.74)
    assert np.isnan(scores["expected_average_order_value_usd"].iloc[2])


def test_nothing_is_scored_from_a_fit_that_is_not_fitted() -> None:
    scores = warehouse.score_customers(SUMMARY, parameters("degenerate", "not_fitted"), 12, 0.0)
    assert scores[["expected_purchases", "p_alive", "expected_average_order_value_usd"]].isna().all().all()
