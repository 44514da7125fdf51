"""Reference data: products, campaigns and daily fx rates."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from crm_warehouse.generate import formatting as f
from crm_warehouse.generate.config import CURRENCIES, DAY, Period, ScaleConfig
from crm_warehouse.generate.sampling import rng_for
from crm_warehouse.generate.writer import ExtractWriter

FAMILIES = ("analytics", "automation", "support_desk", "marketing", "services")
FAMILY_LABEL = ("Insight Analytics", "Flow Automation", "Helpdesk", "Reach Marketing", "Professional Services")
TIERS = ("basic", "pro", "enterprise")
# Subscriptions: USD per seat and month. Services: USD per package.
LIST_PRICE = np.array([[30, 60, 120], [25, 50, 100], [20, 45, 90], [35, 70, 140], [5_000, 15_000, 40_000]], dtype=float)
COST_SHARE = np.array([0.18, 0.2, 0.22, 0.2, 0.55])

CHANNELS = ("email", "paid_search", "social", "event", "webinar", "content", "partner", "referral")
CHANNEL_LABEL = ("Email", "Paid Search", "Social", "Event", "Webinar", "Content", "Partner", "Referral")
CHANNEL_DAYS = np.array([30, 90, 60, 21, 14, 120, 180, 365])  # typical campaign length
CHANNEL_DAILY_BUDGET = np.array([150, 900, 500, 2_500, 400, 250, 300, 120], dtype=float)

FX_BASE = np.array([1.0, 1.08, 1.27, 0.74, 0.66])  # USD per unit


@dataclass
class Products:
    family: np.ndarray  # family code per product (product number = index + 1)
    tier: np.ndarray
    list_price: np.ndarray
    unit_cost: np.ndarray

    def index(self, family: np.ndarray, tier: np.ndarray) -> np.ndarray:
        return np.asarray(family) * len(TIERS) + np.asarray(tier)

    @property
    def is_subscription(self) -> np.ndarray:
        return self.family != FAMILIES.index("services")


@dataclass
class Campaigns:
    channel: np.ndarray
    lane: np.ndarray
    start_day: np.ndarray
    end_day: np.ndarray
    lanes: int
    budget: np.ndarray
    currency: np.ndarray

    def lookup(self, rng: np.random.Generator, channel: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Index of a campaign of `channel` running on `day` (-1 when none runs then or channel < 0)."""
        lane = rng.integers(0, self.lanes, len(channel))
        group = self.channel * self.lanes + self.lane
        key = group * 10_000_000 + self.start_day
        order = np.argsort(key, kind="stable")
        qgroup = np.where(channel >= 0, channel, 0) * self.lanes + lane
        pos = np.searchsorted(key[order], qgroup * 10_000_000 + day, side="right") - 1
        cand = order[np.maximum(pos, 0)]
        ok = (pos >= 0) & (group[cand] == qgroup) & (self.end_day[cand] >= day) & (channel >= 0)
        return np.where(ok, cand, -1)


@dataclass
class FxRates:
    first_day: int
    rates: np.ndarray  # [currency, day] USD per unit

    def to_usd(self, currency: np.ndarray, epoch_seconds: np.ndarray) -> np.ndarray:
        day = np.clip(epoch_seconds // DAY - self.first_day, 0, self.rates.shape[1] - 1)
        return self.rates[currency, day]


def write_products(writer: ExtractWriter, period: Period, seed: int) -> Products:
    rng = rng_for(seed, "products")
    fam = np.repeat(np.arange(len(FAMILIES)), len(TIERS))
    tier = np.tile(np.arange(len(TIERS)), len(FAMILIES))
    price = LIST_PRICE[fam, tier]
    cost = np.round(price * COST_SHARE[fam] * rng.uniform(0.9, 1.1, len(fam)), 2)
    n = len(fam)
    names = [f"{FAMILY_LABEL[a]} {TIERS[b].title()}" for a, b in zip(fam.tolist(), tier.tolist(), strict=True)]
    updated = period.start - rng.integers(30, 400, n) * DAY + rng.integers(0, DAY, n)
    writer.write(
        "products",
        {
            "product_id": f.ids("PRD", np.arange(1, n + 1), 4),
            "product_name": f.texts(names),
            "product_family": f.enums(fam, FAMILIES),
            "tier": f.enums(tier, TIERS),
            "list_price": f.decimals(price),
            "unit_cost": f.decimals(cost),
            "is_subscription": f.booleans(fam != FAMILIES.index("services")),
            "updated_at": f.timestamps(updated),
        },
    )
    return Products(family=fam, tier=tier, list_price=price, unit_cost=cost)


def write_campaigns(writer: ExtractWriter, cfg: ScaleConfig, period: Period, seed: int) -> Campaigns:
    rng = rng_for(seed, "campaigns")
    rows: list[tuple[int, int, int, int]] = []
    for ch in range(len(CHANNELS)):
        for lane in range(cfg.campaign_lanes):
            day = period.start_day - int(rng.integers(0, CHANNEL_DAYS[ch]))
            while day <= period.start_day + period.n_days - 1:
                length = int(max(7, rng.normal(CHANNEL_DAYS[ch], CHANNEL_DAYS[ch] * 0.2)))
                rows.append((ch, lane, day, day + length - 1))
                day += length + int(rng.integers(0, 15))
    arr = np.array(rows, dtype=np.int64).reshape(-1, 4)
    order = np.lexsort((arr[:, 0], arr[:, 1], arr[:, 2]))  # by start day, then lane, channel
    arr = arr[order]
    ch, lane, start, end = arr.T
    n = len(arr)
    budget = CHANNEL_DAILY_BUDGET[ch] * (end - start + 1) * rng.uniform(0.7, 1.4, n)
    cur = np.where(rng.random(n) < 0.2, CURRENCIES.index("EUR"), 0)
    years = start.astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970
    quarters = (start.astype("datetime64[D]").astype("datetime64[M]").astype(int) % 12) // 3 + 1
    themes = np.array(FAMILY_LABEL)[rng.integers(0, len(FAMILY_LABEL), n)]
    names = [
        f"{y} Q{q} {CHANNEL_LABEL[c]} - {t}"
        for y, q, c, t in zip(years.tolist(), quarters.tolist(), ch.tolist(), themes.tolist(), strict=True)
    ]
    writer.write(
        "campaigns",
        {
            "campaign_id": f.ids("CMP", np.arange(1, n + 1), 5),
            "campaign_name": f.texts(names),
            "channel": f.enums(ch, CHANNELS),
            "start_date": f.dates(start),
            "end_date": f.dates(end),
            "budget": f.decimals(np.round(budget, -2)),
            "currency": f.enums(cur, CURRENCIES),
        },
    )
    budget = np.round(budget, -2)
    return Campaigns(
        channel=ch, lane=lane, start_day=start, end_day=end, lanes=cfg.campaign_lanes, budget=budget, currency=cur
    )


def write_fx_rates(writer: ExtractWriter, period: Period, seed: int) -> FxRates:
    """Mean-reverting daily random walk per currency (USD fixed at 1), from the earliest day a campaign may start
    (one campaign length before the period) through the period: every dated amount has an earlier rate."""
    rng = rng_for(seed, "fx_rates")
    first_day = period.start_day - 60
    n_days = period.n_days + 60
    log_dev = np.zeros((len(CURRENCIES), n_days))
    shocks = rng.normal(0, 0.004, (len(CURRENCIES), n_days))
    for d in range(1, n_days):
        log_dev[:, d] = 0.995 * log_dev[:, d - 1] + shocks[:, d]
    history = _fx_history(log_dev[:, 0], int(CHANNEL_DAYS.max()) - 60, seed)
    log_dev = np.concatenate([history, log_dev], axis=1)
    first_day -= history.shape[1]
    n_days += history.shape[1]
    rates = FX_BASE[:, None] * np.exp(log_dev)
    rates[0] = 1.0
    rates = np.round(rates, 6)
    days = np.repeat(first_day + np.arange(n_days), len(CURRENCIES))
    cur = np.tile(np.arange(len(CURRENCIES)), n_days)
    writer.write(
        "fx_rates",
        {
            "rate_date": f.dates(days),
            "currency": f.enums(cur, CURRENCIES),
            "rate_to_usd": f.decimals(rates.T.reshape(-1), 6),
        },
    )
    return FxRates(first_day=first_day, rates=rates)


def _fx_history(first_log_dev: np.ndarray, n_days: int, seed: int) -> np.ndarray:
    """The walk continued backwards n_days before its first day, from a stream of its own, so the rates of the
    later days stay what they were."""
    shocks = rng_for(seed, "fx_rates_history").normal(0, 0.004, (len(first_log_dev), n_days))
    history = np.zeros((len(first_log_dev), n_days))
    later = first_log_dev
    for d in range(n_days - 1, -1, -1):
        later = 0.995 * later + shocks[:, d]
        history[:, d] = later
    return history
