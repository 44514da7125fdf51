"""Churn drivers: a logistic regression of churn at each subscription renewal on what was known that day.

Called by the dbt Python model int_churn_drivers_fitted (models/intermediate/metrics/analytics/) on
int_subscription_renewals_observed (one row per decided renewal: is_churned and the features).

Design (TERMS): the numeric features as they are, the last NPS band as indicators against 'passive' (the
generator's neutral band), the tier (segment) as indicators against 'smb', plus an intercept. A term whose column
does not vary in the observations cannot be estimated: it is left out of the fit and reported with fit_status
'no_variation'. The fit is statsmodels Logit (Newton, at most 100 iterations): coefficient (log-odds per unit),
standard error, Wald z and p-value, 95% interval coefficient +- 1.96 standard errors, odds ratio exp(coefficient)
and its interval. A fit that fails (perfect separation, singular matrix) or does not converge reports its terms
with fit_status 'failed' / 'not_converged' and null estimates.

Planted effects (the synthetic generator, crm_warehouse.generate.lifecycle.churn_probability: at each renewal
log-odds of churn = -2.4 - 0.7 * health + 0.55 * painful tickets of the past year (escalated or unresolved)
+ 1.0 if the last NPS <= 6, - 0.6 if >= 9; health is a latent score the extract does not carry): PLANTED names the
terms with a planted effect and its sign. Every other term has none in the generator, though some pick up one
indirectly: tickets, tenure and products are correlated with the latent health, and the tier sets how many tickets
an account logs whatever its health (an enterprise account with as many painful tickets as an SMB one is likely
healthier), so the tier terms can come out significant too. The renewal's calendar quarter (renewal_in_q4) plays no
part in the generator's churn nor in health: the no-effect control, which should not be significant.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm

Z_95 = 1.959963984540054


@dataclass(frozen=True)
class Term:
    name: str
    label: str
    column: str
    level: str | None = None  # an indicator of column == level; None: the numeric column itself


TERMS: tuple[Term, ...] = (
    Term("painful_tickets_past_year", "Escalated or unresolved tickets, past year (each)", "painful_tickets_past_year"),
    Term("other_tickets_past_year", "Other tickets, past year (each)", "other_tickets_past_year"),
    Term("low_csat_past_year", "CSAT answers of 1-3, past year (each)", "low_csat_past_year"),
    Term("last_nps_detractor", "Last NPS: detractor (vs passive)", "last_nps_band", "detractor"),
    Term("last_nps_promoter", "Last NPS: promoter (vs passive)", "last_nps_band", "promoter"),
    Term("last_nps_none", "No NPS answer yet (vs passive)", "last_nps_band", "none"),
    Term("months_since_last_activity", "Months since the last sales activity (each)", "months_since_last_activity"),
    Term("tenure_years", "Customer tenure (each year)", "tenure_years"),
    Term("products_in_service", "Subscriptions in service (each)", "products_in_service"),
    Term("tier_mid_market", "Segment: mid-market (vs SMB)", "tier", "mid_market"),
    Term("tier_enterprise", "Segment: enterprise (vs SMB)", "tier", "enterprise"),
    Term("renewal_in_q4", "Renewal in Q4 (vs Q1-Q3)", "renewal_quarter", "4"),
)
INTERCEPT = Term("intercept", "Intercept (baseline log-odds)", "")
# term -> (planted sign, planted log-odds) in the generator; absent: no planted effect.
PLANTED: dict[str, tuple[str, float]] = {
    "intercept": ("negative", -2.4),
    "painful_tickets_past_year": ("positive", 0.55),
    "last_nps_detractor": ("positive", 1.0),
    "last_nps_promoter": ("negative", -0.6),
}
ESTIMATES = [
    "coefficient",
    "std_error",
    "z_value",
    "p_value",
    "ci_low",
    "ci_high",
    "odds_ratio",
    "odds_ratio_ci_low",
    "odds_ratio_ci_high",
]
OUTPUT_COLUMNS = [
    "term_order",
    "term",
    "term_label",
    *ESTIMATES,
    "is_significant_5pct",
    "planted_effect",
    "planted_log_odds",
    "n_obs",
    "n_events",
    "fit_status",
    "pseudo_r_squared",
]


def design_matrix(observations: pd.DataFrame, terms: tuple[Term, ...] = TERMS) -> pd.DataFrame:
    """One column per term (intercept first), one row per observation."""
    columns: dict[str, pd.Series] = {INTERCEPT.name: pd.Series(1.0, index=observations.index)}
    for term in terms:
        values = observations[term.column]
        if term.level is None:
            columns[term.name] = values.astype(float)
        else:
            columns[term.name] = (values.astype(str) == term.level).astype(float)
    return pd.DataFrame(columns)


def fit_churn_drivers(observations: pd.DataFrame, terms: tuple[Term, ...] = TERMS) -> pd.DataFrame:
    """One row per term (OUTPUT_COLUMNS), as the module docstring says."""
    keys = [c for c in ("subscription_id", "renewal_number") if c in observations.columns]
    if keys:  # the same estimates whatever order the rows arrive in
        observations = observations.sort_values(keys, kind="stable").reset_index(drop=True)
    y = observations["is_churned"].astype(float).to_numpy()
    x = design_matrix(observations, terms)
    every = (INTERCEPT, *terms)
    varying = [t.name for t in terms if x[t.name].nunique() > 1]
    kept = [INTERCEPT.name, *varying]
    n_obs, n_events = len(y), int(y.sum())
    estimates: dict[str, tuple[float, float]] = {}
    pseudo_r2: float | None = None
    status = "fitted"
    if n_events == 0 or n_events == n_obs:
        status = "no_events" if n_events == 0 else "no_renewals"
    else:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result = sm.Logit(y, x[kept].to_numpy()).fit(disp=0, maxiter=100)
            params, errors = np.asarray(result.params), np.asarray(result.bse)
            if not bool(result.mle_retvals.get("converged", False)) or not np.all(np.isfinite(errors)):
                status = "not_converged"
            else:
                estimates = {name: (float(p), float(e)) for name, p, e in zip(kept, params, errors, strict=True)}
                pseudo_r2 = float(result.prsquared)
        except (np.linalg.LinAlgError, ValueError, OverflowError) as error:  # singular design, separation
            status = "failed"
            del error
        except Exception as error:  # statsmodels' PerfectSeparationError (an Exception subclass)
            if type(error).__name__ != "PerfectSeparationError":
                raise
            status = "failed"
    rows = []
    for order, term in enumerate(every, start=1):
        planted = PLANTED.get(term.name)
        row: dict[str, object] = {
            "term_order": order,
            "term": term.name,
            "term_label": term.label,
            "planted_effect": planted[0] if planted else "none",
            "planted_log_odds": planted[1] if planted else None,
            "n_obs": n_obs,
            "n_events": n_events,
            "pseudo_r_squared": pseudo_r2,
        }
        if term.name in estimates:
            coefficient, error = estimates[term.name]
            z = coefficient / error
            p = math.erfc(abs(z) / math.sqrt(2.0))
            low, high = coefficient - Z_95 * error, coefficient + Z_95 * error
            row.update(
                coefficient=coefficient,
                std_error=error,
                z_value=z,
                p_value=p,
                ci_low=low,
                ci_high=high,
                odds_ratio=math.exp(coefficient),
                odds_ratio_ci_low=math.exp(low),
                odds_ratio_ci_high=math.exp(high),
                is_significant_5pct=p < 0.05,
                fit_status="fitted",
            )
        else:
            row.update(
                dict.fromkeys(ESTIMATES),
                is_significant_5pct=None,
                fit_status="no_variation" if term.name not in kept and status == "fitted" else status,
            )
        rows.append(row)
    return pd.DataFrame(rows, columns=OUTPUT_COLUMNS)
