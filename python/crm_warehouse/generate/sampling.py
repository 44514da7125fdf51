"""Random streams and time sampling shared by every entity group.

Each entity group draws from its own stream (seed, group name), so changing how one group samples
never shifts the numbers of another: the output stays deterministic and diffs stay local.
"""

from __future__ import annotations

import zlib

import numpy as np

from crm_warehouse.generate.config import ANNUAL_GROWTH, DAY, HOUR, MONTH_FACTOR, WEEKDAY_FACTOR, Period

NO_TIME = np.iinfo(np.int64).min  # "empty" marker for epoch-second columns
NO_ID = -1  # "empty" marker for integer id columns


def rng_for(seed: int, stream: str) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(stream.encode())])


def weekday(epoch_days: np.ndarray) -> np.ndarray:
    """0 = Monday .. 6 = Sunday (1970-01-01 was a Thursday)."""
    return (epoch_days + 3) % 7


def month_of_year(epoch_days: np.ndarray) -> np.ndarray:
    """1..12."""
    return epoch_days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12 + 1


def demand_weights(period: Period, growth: bool = True) -> np.ndarray:
    """Relative demand of each day of the period: month seasonality x weekday pattern x growth trend."""
    days = period.start_day + np.arange(period.n_days)
    w = MONTH_FACTOR[month_of_year(days) - 1] * WEEKDAY_FACTOR[weekday(days)]
    if growth:
        w = w * (1 + ANNUAL_GROWTH) ** (np.arange(period.n_days) / 365.0)
    return w / w.sum()


def business_seconds(rng: np.random.Generator, n: int) -> np.ndarray:
    """Time of day in seconds, concentrated in office hours (UTC stands in for local time)."""
    hour = np.clip(rng.normal(12.5, 2.6, n), 6, 21.9)
    return (hour * HOUR).astype(np.int64)


def seasonal_times(rng: np.random.Generator, n: int, period: Period, weights: np.ndarray) -> np.ndarray:
    """n timestamps (epoch seconds) whose days follow `weights` over the period."""
    cum = np.cumsum(weights)
    idx = np.minimum(np.searchsorted(cum, rng.random(n) * cum[-1], side="right"), len(weights) - 1)
    return (period.start_day + idx) * DAY + business_seconds(rng, n)


def to_working_hours(rng: np.random.Generator, ts: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Move timestamps off weekends and into office hours, staying inside [lo, hi)."""
    days = ts // DAY
    dow = weekday(days)
    shift = np.where(dow == 5, -1, np.where(dow == 6, 1, 0))
    moved = (days + shift) * DAY + business_seconds(rng, len(ts))
    return np.where((moved >= lo) & (moved < hi), moved, ts)


def uniform_between(rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    span = np.maximum(hi - lo, 1)
    return lo + (rng.random(len(lo)) * span).astype(np.int64)


def pick(rng: np.random.Generator, options: tuple[str, ...] | list[str], p, n: int) -> np.ndarray:
    """Indices into options drawn with probabilities p (normalised)."""
    p = np.asarray(p, dtype=float)
    return rng.choice(len(options), size=n, p=p / p.sum())


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def choice_rows(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One draw per row of a (n, k) matrix of probabilities."""
    cum = np.cumsum(probs, axis=1)
    u = rng.random(len(probs))[:, None] * cum[:, -1:]
    return np.minimum((u >= cum).sum(axis=1), probs.shape[1] - 1)
