"""Gamma-Gamma spend model (Fader, Hardie and Lee 2005b), fitted on customers with x > 0 repeat purchases."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import minimize
from scipy.special import gammaln


@dataclass(frozen=True)
class GammaGammaParams:
    p: float
    q: float
    v: float
    log_likelihood: float


def log_likelihood_terms(
    params: NDArray[np.float64], x: NDArray[np.float64], m: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Per-customer log-likelihood of the mean spend m over x transactions."""
    p, q, v = params
    return (
        gammaln(p * x + q)
        - gammaln(p * x)
        - gammaln(q)
        + q * np.log(v)
        + (p * x - 1) * np.log(m)
        + p * x * np.log(x)
        - (p * x + q) * np.log(x * m + v)
    )


def fit(x: ArrayLike, m: ArrayLike) -> GammaGammaParams:
    xa = np.asarray(x, dtype=float)
    ma = np.asarray(m, dtype=float)
    keep = (xa > 0) & (ma > 0)
    xa, ma = xa[keep], ma[keep]

    def negll(log_params: NDArray[np.float64]) -> float:
        return float(-log_likelihood_terms(np.exp(log_params), xa, ma).sum())

    result = minimize(
        negll, x0=np.zeros(3), method="Nelder-Mead", options={"xatol": 1e-8, "fatol": 1e-8, "maxiter": 20000}
    )
    result = minimize(negll, x0=result.x, method="L-BFGS-B")
    p, q, v = np.exp(result.x)
    return GammaGammaParams(float(p), float(q), float(v), float(-result.fun))


def expected_average_value(params: GammaGammaParams, x: ArrayLike, m: ArrayLike) -> NDArray[np.float64]:
    """E[M | x, m]: shrinks a customer's mean spend towards the population mean; population mean for x = 0."""
    xa = np.asarray(x, dtype=float)
    ma = np.nan_to_num(np.asarray(m, dtype=float))
    p, q, v = params.p, params.q, params.v
    return (p * (v + xa * ma)) / (p * xa + q - 1)
