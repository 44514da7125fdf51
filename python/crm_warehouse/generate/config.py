"""Scale presets, the simulated period and the fixed business vocabulary of the generator."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np

DEFAULT_END_DATE = date(2026, 10, 31)
HISTORY_YEARS = 3
DAY = 86_400
HOUR = 3_600

# Reporting currency first; every currency has daily fx_rates over the whole period.
CURRENCIES = ("USD", "EUR", "GBP", "CAD", "AUD")
REGIONS = ("north_america", "emea", "apac", "latam")
REGION_SHARE = (0.45, 0.30, 0.15, 0.10)
# Countries per region with their share and invoicing currency.
COUNTRIES: dict[str, tuple[tuple[str, float, str], ...]] = {
    "north_america": (("US", 0.82, "USD"), ("CA", 0.18, "CAD")),
    "emea": (("GB", 0.35, "GBP"), ("DE", 0.25, "EUR"), ("FR", 0.2, "EUR"), ("NL", 0.2, "EUR")),
    "apac": (("AU", 0.55, "AUD"), ("SG", 0.25, "USD"), ("JP", 0.2, "USD")),
    "latam": (("BR", 0.6, "USD"), ("MX", 0.4, "USD")),
}
REGION_QUOTA_CURRENCY = {"north_america": "USD", "emea": "EUR", "apac": "AUD", "latam": "USD"}

# Month-of-year demand pattern (Jan..Dec) and day-of-week pattern (Mon..Sun).
MONTH_FACTOR = np.array([0.85, 0.95, 1.15, 1.05, 1.05, 1.1, 0.85, 0.75, 1.1, 1.2, 1.1, 0.8])
WEEKDAY_FACTOR = np.array([1.15, 1.1, 1.05, 1.0, 0.9, 0.15, 0.1])
ANNUAL_GROWTH = 0.25


@dataclass(frozen=True)
class ScaleConfig:
    """Row-count drivers of one run. Numeric scale s: s x 1,000 accounts and s x 100,000 activities."""

    label: str
    accounts: int
    leads: int
    sales_reps: int
    support_agents: int
    customer_success: int
    admins: int
    activities: int
    engagement_events: int
    campaign_lanes: int  # campaigns running side by side per channel
    login_rate: float  # share of working days an ordinary user logs in


DEMO = ScaleConfig(
    label="demo",
    accounts=300,
    leads=1_500,
    sales_reps=4,
    support_agents=3,
    customer_success=2,
    admins=1,
    activities=8_000,
    engagement_events=7_000,
    campaign_lanes=1,
    login_rate=0.35,
)


def scale_config(scale: str) -> ScaleConfig:
    """`demo` or a positive number s: accounts = round(1000 s), leads = round(7000 s),
    activities = round(100000 s) (10M activities at s = 100), engagement events = round(40000 s)."""
    if scale == "demo":
        return DEMO
    try:
        s = float(scale)
    except ValueError:
        raise ValueError(f"--scale must be 'demo' or a positive number, got {scale!r}") from None
    if not (s > 0 and math.isfinite(s)):
        raise ValueError(f"--scale must be 'demo' or a positive number, got {scale!r}")
    return ScaleConfig(
        label=f"{s:g}",
        accounts=max(10, round(1_000 * s)),
        leads=max(70, round(7_000 * s)),
        sales_reps=max(3, round(12 * s)),
        support_agents=max(2, round(8 * s)),
        customer_success=max(1, round(4 * s)),
        admins=max(1, round(s)),
        activities=max(100, round(100_000 * s)),
        engagement_events=max(100, round(40_000 * s)),
        campaign_lanes=max(1, math.ceil(s / 2)),
        login_rate=0.6,
    )


@dataclass(frozen=True)
class Period:
    """The simulated window [start, end) in epoch seconds; nothing is generated at or after `end`."""

    start_date: date
    end_date: date  # last simulated day (inclusive)

    @classmethod
    def ending(cls, end_date: date) -> Period:
        try:
            start = end_date.replace(year=end_date.year - HISTORY_YEARS)
        except ValueError:  # 29 February
            start = end_date.replace(year=end_date.year - HISTORY_YEARS, day=28)
        return cls(start_date=start + timedelta(days=1), end_date=end_date)

    @property
    def start(self) -> int:
        return _epoch(self.start_date)

    @property
    def end(self) -> int:
        return _epoch(self.end_date) + DAY

    @property
    def start_day(self) -> int:
        return self.start // DAY

    @property
    def n_days(self) -> int:
        return (self.end - self.start) // DAY

    def month_starts(self) -> np.ndarray:
        """Epoch days of the first day of every month the period touches."""
        out = []
        y, m = self.start_date.year, self.start_date.month
        while date(y, m, 1) <= self.end_date:
            out.append(_epoch(date(y, m, 1)) // DAY)
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return np.array(out, dtype=np.int64)


def _epoch(d: date) -> int:
    return int(datetime(d.year, d.month, d.day, tzinfo=UTC).timestamp())
