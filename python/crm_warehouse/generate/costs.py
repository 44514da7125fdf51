"""Customer acquisition costs by month: campaign ad spend, sales salaries and other channel costs."""

from __future__ import annotations

import numpy as np

from crm_warehouse.generate import formatting as f
from crm_warehouse.generate.catalogue import CHANNELS, Campaigns
from crm_warehouse.generate.config import CURRENCIES, Period, ScaleConfig
from crm_warehouse.generate.people import REP, Users
from crm_warehouse.generate.sampling import NO_TIME, rng_for
from crm_warehouse.generate.writer import ExtractWriter

COST_CHANNELS = (*CHANNELS, "outbound", "unattributed")
CATEGORIES = ("ad_spend", "sales_salaries", "other")
OTHER_COST_CHANNELS = ("content", "event", "webinar", "partner")
AE_MONTHLY_SALARY = 9_000.0  # account executives: not attributable to a channel
SDR_SHARE = 0.3  # outbound prospecting share of sales salaries


def write_acquisition_costs(
    writer: ExtractWriter, cfg: ScaleConfig, users: Users, campaigns: Campaigns, period: Period, seed: int
) -> None:
    rng = rng_for(seed, "acquisition_costs")
    months = period.month_starts()
    month_ends = np.append(months[1:], period.end // 86_400) - 1
    rows: list[tuple[int, int, int, int, float, int]] = []  # month, channel, campaign, category, amount, currency
    length = campaigns.end_day - campaigns.start_day + 1
    for m, m_end in zip(months.tolist(), month_ends.tolist(), strict=True):
        overlap = np.minimum(campaigns.end_day, m_end) - np.maximum(campaigns.start_day, m) + 1
        for c in np.flatnonzero(overlap > 0).tolist():
            amount = campaigns.budget[c] * overlap[c] / length[c] * rng.uniform(0.85, 1.1)
            rows.append((m, int(campaigns.channel[c]), c, 0, round(amount, 2), int(campaigns.currency[c])))
        employed = (users.role == REP) & (users.hired // 86_400 <= m_end)
        employed &= (users.left == NO_TIME) | (users.left // 86_400 >= m)
        salaries = employed.sum() * AE_MONTHLY_SALARY * rng.uniform(0.97, 1.03)
        rows.append((m, COST_CHANNELS.index("outbound"), -1, 1, round(salaries * SDR_SHARE, 2), 0))
        rows.append((m, COST_CHANNELS.index("unattributed"), -1, 1, round(salaries * (1 - SDR_SHARE), 2), 0))
        for ch in OTHER_COST_CHANNELS:
            amount = rng.uniform(500, 3_000) * cfg.campaign_lanes
            rows.append((m, COST_CHANNELS.index(ch), -1, 2, round(amount, 2), 0))
    month, channel, campaign, category, amount, currency = (np.array(x) for x in zip(*rows, strict=True))
    n = len(rows)
    writer.write(
        "acquisition_costs",
        {
            "cost_id": f.ids("COST", np.arange(1, n + 1), 6),
            "cost_month": f.dates(month),
            "channel": f.enums(channel, COST_CHANNELS),
            "campaign_id": f.ids("CMP", np.where(campaign >= 0, campaign + 1, -1), 5),
            "category": f.enums(category, CATEGORIES),
            "amount": f.decimals(amount.astype(float)),
            "currency": f.enums(currency, CURRENCIES),
        },
    )
