"""BG/NBD model (Fader, Hardie and Lee 2005) fitted by maximum likelihood.

Inputs per customer: x = repeat transactions, t_x = time of last transaction, T = age, all from the
first purchase, in one time unit (weeks for CDNOW). Parameters are optimised in log space so they stay
positive; the log-likelihood is vectorised and uses gammaln/betaln so it is stable for x = 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import minimize
from scipy.special import betaln, gammaln, hyp2f1


@dataclass(frozen=True)
class BgNbdParams:
    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float


def _arrays(x: ArrayLike, t_x: ArrayLike, T: ArrayLike) -> tuple[NDArray[np.float64], ...]:
    return (np.asarray(x, dtype=float), np.asarray(t_x, dtype=float), np.asarray(T, dtype=float))


def log_likelihood_terms(
    params: NDArray[np.float64], x: NDArray[np.float64], t_x: NDArray[np.float64], T: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Per-customer log-likelihood (equation 6 of Fader, Hardie and Lee 2005)."""
    r, alpha, a, b = params
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = betaln(a, b + x) - betaln(a, b)
    a3 = -(r + x) * np.log(alpha + T)
    # Second term exists only for x > 0; np.where keeps x = 0 finite (log of a tiny positive filler).
    a4 = np.where(
        x > 0,
        np.log(a) - np.log(np.maximum(b + x - 1, 1e-300)) - (r + x) * np.log(alpha + t_x),
        -np.inf,
    )
    return a1 + a2 + np.logaddexp(a3, a4)


def fit(x: ArrayLike, t_x: ArrayLike, T: ArrayLike) -> BgNbdParams:
    xa, ta, Ta = _arrays(x, t_x, T)

    def negll(log_params: NDArray[np.float64]) -> float:
        return float(-log_likelihood_terms(np.exp(log_params), xa, ta, Ta).sum())

    result = minimize(
        negll, x0=np.zeros(4), method="Nelder-Mead", options={"xatol": 1e-8, "fatol": 1e-8, "maxiter": 20000}
    )
    result = minimize(negll, x0=result.x, method="L-BFGS-B")
    r, alpha, a, b = np.exp(result.x)
    return BgNbdParams(float(r), float(alpha), float(a), float(b), float(-result.fun))


def conditional_expected_transactions(
    params: BgNbdParams, t: float, x: ArrayLike, t_x: ArrayLike, T: ArrayLike
) -> NDArray[np.float64]:
    """E[Y(t) | x, t_x, T]: expected transactions in the next t time units (equation 10)."""
    xa, ta, Ta = _arrays(x, t_x, T)
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    hyp = hyp2f1(r + xa, b + xa, a + b + xa - 1, t / (alpha + Ta + t))
    first = (a + b + xa - 1) / (a - 1) * (1 - ((alpha + Ta) / (alpha + Ta + t)) ** (r + xa) * hyp)
    delta = (xa > 0).astype(float)
    second = 1 + delta * (a / (b + xa - 1)) * ((alpha + Ta) / (alpha + ta)) ** (r + xa)
    return first / second


def probability_alive(params: BgNbdParams, x: ArrayLike, t_x: ArrayLike, T: ArrayLike) -> NDArray[np.float64]:
    """P(alive | x, t_x, T); 1 for customers with no repeat purchase (they cannot have dropped out yet)."""
    xa, ta, Ta = _arrays(x, t_x, T)
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    ratio = np.where(xa > 0, (a / np.maximum(b + xa - 1, 1e-300)) * ((alpha + Ta) / (alpha + ta)) ** (r + xa), 0.0)
    return 1.0 / (1.0 + ratio)
