"""Per-customer RFM summary (x, t_x, T, mean repeat value) from transactions, and CLV."""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from crm_warehouse.clv.bgnbd import BgNbdParams, conditional_expected_transactions
from crm_warehouse.clv.gamma_gamma import GammaGammaParams, expected_average_value


def rfm_summary(
    transactions: pd.DataFrame,
    customer_col: str,
    date_col: str,
    amount_col: str,
    observation_end: pd.Timestamp,
    days_per_period: float = 7.0,
) -> pd.DataFrame:
    """One row per customer: frequency x (repeat days), recency t_x, age T (periods), monetary m.

    Purchases on one day are one transaction (amounts summed). m is the mean of repeat transactions only,
    as the Gamma-Gamma model expects; it is 0 for customers with no repeat purchase.
    """
    tx = transactions[transactions[date_col] <= observation_end]
    daily = tx.groupby([customer_col, tx[date_col].dt.normalize()])[amount_col].sum().reset_index()
    daily = daily.sort_values([customer_col, date_col])
    grouped = daily.groupby(customer_col)
    first = grouped[date_col].min()
    last = grouped[date_col].max()
    count = grouped[date_col].count()
    total = grouped[amount_col].sum()
    first_amount = grouped[amount_col].first()
    x = count - 1
    out = pd.DataFrame(
        {
            "frequency": x.astype(float),
            "recency": (last - first).dt.days / days_per_period,
            "T": (observation_end - first).dt.days / days_per_period,
            "monetary_value": np.where(x > 0, (total - first_amount) / x.where(x > 0, 1), 0.0),
        }
    )
    return out


def clv(
    bg: BgNbdParams,
    gg: GammaGammaParams,
    x: NDArray[np.float64],
    t_x: NDArray[np.float64],
    T: NDArray[np.float64],
    m: NDArray[np.float64],
    horizon_periods: float,
    margin: float,
    discount_rate_per_period: float = 0.0,
    steps: int = 12,
) -> NDArray[np.float64]:
    """Predicted margin over the horizon: expected transactions per step x expected value x margin, discounted."""
    value = expected_average_value(gg, x, m)
    edges = np.linspace(0.0, horizon_periods, steps + 1)
    cumulative = [
        conditional_expected_transactions(bg, float(e), x, t_x, T) if e > 0 else np.zeros_like(value) for e in edges
    ]
    total = np.zeros_like(value)
    for i in range(1, steps + 1):
        expected = cumulative[i] - cumulative[i - 1]
        total += expected * value * margin / (1 + discount_rate_per_period) ** edges[i]
    return total
