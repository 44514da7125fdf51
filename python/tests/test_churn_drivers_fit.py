"""crm_warehouse.analytics.churn_drivers on hand-built renewals: a 2x2 table the logit reproduces exactly, a
simulated world whose effects it recovers, and the cases without a fit."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from crm_warehouse.analytics.churn_drivers import OUTPUT_COLUMNS, TERMS, fit_churn_drivers


def renewals(n: int, **columns: object) -> pd.DataFrame:
    base: dict[str, object] = {
        "painful_tickets_past_year": 0,
        "other_tickets_past_year": 0,
        "low_csat_past_year": 0,
        "last_nps_band": "passive",
        "months_since_last_activity": 1.0,
        "tenure_years": 2.0,
        "products_in_service": 1,
        "tier": "smb",
        "renewal_quarter": 2,
        "is_churned": False,
    }
    frame = pd.DataFrame({name: [value] * n for name, value in base.items()})
    for name, values in columns.items():
        frame[name] = values
    return frame


def test_one_indicator_gives_the_log_odds_ratio_of_the_two_by_two_table() -> None:
    # Detractors: 30 churned of 100; passives: 10 churned of 100. Every other term is constant.
    band = ["detractor"] * 100 + ["passive"] * 100
    churned = [True] * 30 + [False] * 70 + [True] * 10 + [False] * 90
    fitted = fit_churn_drivers(renewals(200, last_nps_band=band, is_churned=churned))
    assert list(fitted.columns) == OUTPUT_COLUMNS
    out = fitted.set_index("term")
    detractor, intercept = out.loc["last_nps_detractor"], out.loc["intercept"]
    # Saturated logit: intercept = log odds of the passives, coefficient = log odds ratio, SE = sqrt(sum 1/cell).
    assert intercept["coefficient"] == pytest.approx(math.log(10 / 90), abs=1e-6)
    log_or = math.log((30 / 70) / (10 / 90))
    se = math.sqrt(1 / 30 + 1 / 70 + 1 / 10 + 1 / 90)
    assert detractor["coefficient"] == pytest.approx(log_or, abs=1e-6)
    assert detractor["std_error"] == pytest.approx(se, rel=1e-5)
    assert detractor["odds_ratio"] == pytest.approx((30 / 70) / (10 / 90), rel=1e-6)
    assert detractor["ci_low"] == pytest.approx(log_or - 1.959964 * se, rel=1e-5)
    assert detractor["odds_ratio_ci_high"] == pytest.approx(math.exp(log_or + 1.959964 * se), rel=1e-5)
    z = log_or / se
    assert detractor["p_value"] == pytest.approx(math.erfc(z / math.sqrt(2)), rel=1e-4)
    assert bool(detractor["is_significant_5pct"]) is True  # z = 3.6
    assert (detractor["n_obs"], detractor["n_events"], detractor["fit_status"]) == (200, 40, "fitted")
    assert detractor["planted_effect"] == "positive" and detractor["planted_log_odds"] == 1.0
    # The constant terms could not be estimated.
    assert out.loc["tier_enterprise", "fit_status"] == "no_variation"
    assert pd.isna(out.loc["tier_enterprise", "coefficient"])
    assert out.loc["tier_enterprise", "planted_effect"] == "none"
    assert len(out) == len(TERMS) + 1


def test_a_simulated_world_recovers_its_effects_and_a_null_feature_is_not_significant() -> None:
    rng = np.random.default_rng(7)
    n = 6_000
    pains = rng.poisson(0.8, n)
    band = rng.choice(["detractor", "passive", "promoter", "none"], n, p=[0.3, 0.3, 0.3, 0.1])
    tier = rng.choice(["smb", "mid_market", "enterprise"], n)
    x = -2.4 + 0.55 * pains + np.select([band == "detractor", band == "promoter"], [1.0, -0.6], 0.0)
    churned = rng.random(n) < 1 / (1 + np.exp(-x))
    frame = renewals(
        n,
        painful_tickets_past_year=pains,
        other_tickets_past_year=rng.poisson(2, n),
        tenure_years=rng.uniform(1, 4, n),
        last_nps_band=band,
        tier=tier,
        renewal_quarter=rng.integers(1, 5, n),
        is_churned=churned,
    )
    out = fit_churn_drivers(frame).set_index("term")
    for term, planted in [("painful_tickets_past_year", 0.55), ("last_nps_detractor", 1.0),
                          ("last_nps_promoter", -0.6)]:  # fmt: skip
        row = out.loc[term]
        assert row["ci_low"] < planted < row["ci_high"], term
        assert bool(row["is_significant_5pct"]), term
    for term in ["tier_mid_market", "tier_enterprise", "other_tickets_past_year", "tenure_years", "renewal_in_q4"]:
        assert not bool(out.loc[term, "is_significant_5pct"]), term
    assert out.loc["months_since_last_activity", "fit_status"] == "no_variation"


def test_without_churn_or_with_separation_no_term_is_estimated() -> None:
    none = fit_churn_drivers(renewals(20, painful_tickets_past_year=list(range(20))))
    assert set(none["fit_status"]) == {"no_events"}
    assert none["coefficient"].isna().all()
    # Churn exactly when pains >= 10: perfectly separated, no finite estimate.
    pains = list(range(20))
    separated = fit_churn_drivers(renewals(20, painful_tickets_past_year=pains, is_churned=[p >= 10 for p in pains]))
    assert set(separated["fit_status"]) <= {"failed", "not_converged"}
    assert separated["coefficient"].isna().all()
