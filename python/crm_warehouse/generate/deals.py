"""Opportunities of every kind, their line items and stage history.

Deals are collected in a DealBook while the simulation runs (new deals up front, upsell / cross-sell /
renewal deals from the customer lifecycle) and written at the end, numbered in creation order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from crm_warehouse.generate import formatting as f
from crm_warehouse.generate.catalogue import FAMILIES, FxRates, Products
from crm_warehouse.generate.config import CURRENCIES, DAY, HOUR, Period
from crm_warehouse.generate.names import NEXT_STEPS
from crm_warehouse.generate.sampling import NO_ID, choice_rows, rng_for, to_working_hours
from crm_warehouse.generate.writer import ExtractWriter

KINDS = ("new", "upsell", "cross_sell", "renewal")
STAGES = ("prospecting", "qualification", "demo", "proposal", "negotiation", "closed_won", "closed_lost")
WON, LOST = 5, 6
STAGE_PROBABILITY = np.array([10, 20, 40, 60, 80, 100, 0])
LOSS_REASONS = ("price", "competitor", "no_decision", "timing", "product_fit")
# Deals lost early stall (no decision, timing, fit); deals lost late lose on price or to a competitor.
LOSS_BY_STAGE = np.array(
    [[0.05, 0.1, 0.45, 0.25, 0.15], [0.1, 0.15, 0.35, 0.2, 0.2], [0.2, 0.25, 0.2, 0.15, 0.2],
     [0.35, 0.35, 0.1, 0.1, 0.1], [0.45, 0.35, 0.1, 0.05, 0.05]]
)  # fmt: skip
DISCOUNT_RANGE = np.array([[0.10, 0.30], [0.05, 0.15], [0.0, 0.10]])  # by account tier
SERVICES_ONBOARDING = FAMILIES.index("services") * 3  # services basic package


def price_lines(
    rng: np.random.Generator,
    products: Products,
    fx: FxRates,
    product: np.ndarray,
    currency: np.ndarray,
    t: np.ndarray,
    account_tier: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(unit_price, unit_cost, discount_rate) in the deal currency; subscriptions are priced per seat-year."""
    months = np.where(products.is_subscription[product], 12.0, 1.0)
    rate = fx.to_usd(currency, t)
    unit_price = np.round(products.list_price[product] * months / rate, 2)
    unit_cost = np.round(products.unit_cost[product] * months / rate, 2)
    lo, hi = DISCOUNT_RANGE[account_tier].T
    discount = np.round(rng.uniform(lo, hi) * 20) / 20
    return unit_price, unit_cost, discount


@dataclass
class DealBook:
    """Deals in the order they were added: array batches first, then single rows from the simulation."""

    cols: dict[str, list[np.ndarray]] = field(default_factory=dict)
    rows: dict[str, list] = field(default_factory=dict)
    size: int = 0

    def add(self, **values: np.ndarray) -> np.ndarray:
        """Append deals (equal-length arrays per field); returns their indices."""
        if self.rows:
            raise RuntimeError("array batches must come before single rows")
        n = len(values["account"])
        for k, v in values.items():
            self.cols.setdefault(k, []).append(np.asarray(v))
        idx = np.arange(self.size, self.size + n)
        self.size += n
        return idx

    def add_row(self, **values) -> int:
        for k, v in values.items():
            self.rows.setdefault(k, []).append(v)
        self.size += 1
        return self.size - 1

    def column(self, name: str) -> np.ndarray:
        parts = list(self.cols.get(name, []))
        if name in self.rows:
            parts.append(np.array(self.rows[name]))
        return np.concatenate(parts) if parts else np.array([], dtype=np.int64)


def single_deal(
    rng: np.random.Generator,
    products: Products,
    fx: FxRates,
    period: Period,
    *,
    product: int,
    currency: int,
    account_tier: int,
    created: int,
    cycle_days: float,
    win_p: float,
    unit_price: float | None = None,
    discount: float | None = None,
    **ids: int,
) -> dict:
    """The scalar twin of deal_fields for deals created one at a time by the lifecycle simulation."""
    months = 12.0 if products.is_subscription[product] else 1.0
    day = min(max(created // DAY - fx.first_day, 0), fx.rates.shape[1] - 1)
    rate = float(fx.rates[currency, day])
    lo, hi = DISCOUNT_RANGE[account_tier]
    close = created + max(int(cycle_days * DAY), 2 * HOUR)
    dow = (close // DAY + 3) % 7
    close += DAY if dow == 6 else (-DAY if dow == 5 and close - DAY > created else 0)
    return {
        **ids,
        "product": product,
        "currency": currency,
        "account_tier": account_tier,
        "created": created,
        "close": close,
        "won": bool(rng.random() < win_p),
        "closed": close < period.end,
        "unit_price": round(float(products.list_price[product]) * months / rate, 2)
        if unit_price is None
        else unit_price,
        "unit_cost": round(float(products.unit_cost[product]) * months / rate, 2),
        "discount": round(float(rng.uniform(lo, hi)) * 20) / 20 if discount is None else discount,
        "services": False,
        "services_price": 0.0,
        "services_cost": 0.0,
    }


def decide_outcomes(
    rng: np.random.Generator, period: Period, created: np.ndarray, cycle_days: np.ndarray, win_p: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(close time, won, closed): deals whose close falls after the extract end are still open."""
    close = created + np.maximum(cycle_days * DAY, 2 * HOUR).astype(np.int64)
    close = to_working_hours(rng, close, created + HOUR, np.full(len(close), np.iinfo(np.int64).max))
    won = rng.random(len(created)) < win_p
    return close, won, close < period.end


def deal_fields(
    rng: np.random.Generator,
    products: Products,
    fx: FxRates,
    period: Period,
    *,
    created: np.ndarray,
    cycle_days: np.ndarray,
    win_p: np.ndarray,
    product: np.ndarray,
    currency: np.ndarray,
    account_tier: np.ndarray,
    services: np.ndarray,
    unit_price: np.ndarray | None = None,
    unit_cost: np.ndarray | None = None,
    discount: np.ndarray | None = None,
    **ids: np.ndarray,
) -> dict[str, np.ndarray]:
    """Priced lines and outcome of new deals; fixed prices (renewals) may be passed in."""
    price, cost, disc = price_lines(rng, products, fx, product, currency, created, account_tier)
    s_price, s_cost, _ = price_lines(
        rng, products, fx, np.full(len(created), SERVICES_ONBOARDING), currency, created, account_tier
    )
    close, won, closed = decide_outcomes(rng, period, created, cycle_days, win_p)
    return {
        **ids,
        "product": product,
        "currency": currency,
        "account_tier": account_tier,
        "created": created,
        "close": close,
        "won": won,
        "closed": closed,
        "unit_price": price if unit_price is None else unit_price,
        "unit_cost": cost if unit_cost is None else unit_cost,
        "discount": disc if discount is None else discount,
        "services": services,
        "services_price": s_price,
        "services_cost": s_cost,
    }


@dataclass
class DealFrame:
    """The finished deals, in output (creation) order, with their numbers."""

    number: np.ndarray  # 1-based id of deal index i
    account: np.ndarray
    owner: np.ndarray
    kind: np.ndarray
    product: np.ndarray
    currency: np.ndarray
    created: np.ndarray
    close: np.ndarray
    won: np.ndarray
    closed: np.ndarray
    amount: np.ndarray
    qty: np.ndarray
    unit_price: np.ndarray
    unit_cost: np.ndarray
    discount: np.ndarray
    services: np.ndarray
    services_price: np.ndarray
    services_cost: np.ndarray


def finish_deals(book: DealBook) -> DealFrame:
    c = {k: book.column(k) for k in book.cols}
    order = np.argsort(c["created"], kind="stable")
    number = np.empty(book.size, dtype=np.int64)
    number[order] = np.arange(1, book.size + 1)
    main = c["qty"] * c["unit_price"] * (1 - c["discount"])
    amount = np.round(main + np.where(c["services"], c["services_price"], 0.0), 2)
    return DealFrame(
        number=number,
        account=c["account"],
        owner=c["owner"],
        kind=c["kind"],
        product=c["product"],
        currency=c["currency"],
        created=c["created"],
        close=c["close"],
        won=c["won"],
        closed=c["closed"],
        amount=amount,
        qty=c["qty"],
        unit_price=c["unit_price"],
        unit_cost=c["unit_cost"],
        discount=c["discount"],
        services=c["services"],
        services_price=c["services_price"],
        services_cost=c["services_cost"],
    )


def _template(won: bool, skip_demo: bool, skip_negotiation: bool, max_stage: int, reopen_at: int) -> list[int]:
    """Stages a deal passes through, ending in its outcome; reopen_at > 0 inserts a loss and a reopening."""
    if won:
        path = [p for p in range(5) if not (p == 2 and skip_demo) and not (p == 4 and skip_negotiation)]
    else:
        path = list(range(max_stage + 1))
    if reopen_at:
        # Lost once, reopened in the stage it was lost in, then closed for good.
        path = [*path[: reopen_at + 1], LOST, *path[reopen_at:]]
    return [*path, WON if won else LOST]


def stage_paths(
    rng: np.random.Generator, won: np.ndarray, closed: np.ndarray, small: np.ndarray, long: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(paths (n, width) padded with -1, path lengths, lost-stage reached) for every deal, vectorised over
    the few distinct path shapes."""
    n = len(won)
    skip_demo = won & small & (rng.random(n) < 0.2)
    skip_neg = won & (rng.random(n) < 0.2)
    max_stage = rng.choice(5, size=n, p=[0.3, 0.25, 0.2, 0.15, 0.1])
    base_len = np.where(won, 5 - skip_demo - skip_neg, max_stage + 1)
    reopen = closed & long & (base_len >= 2) & (rng.random(n) < 0.06)
    reopen_at = np.where(reopen, 1 + (rng.random(n) * np.maximum(base_len - 1, 1)).astype(np.int64), 0)
    key = np.stack([won, skip_demo, skip_neg, np.where(won, 0, max_stage), reopen_at], axis=1).astype(np.int64)
    shapes, inverse = np.unique(key, axis=0, return_inverse=True)
    templates = [_template(bool(w), bool(d), bool(g), int(m), int(r)) for w, d, g, m, r in shapes.tolist()]
    width = max(len(t) for t in templates)
    table = np.full((len(templates), width), -1, dtype=np.int64)
    for i, t in enumerate(templates):
        table[i, : len(t)] = t
    paths = table[inverse.reshape(-1)]
    return paths, (paths >= 0).sum(axis=1), max_stage


def write_deals(
    writer: ExtractWriter,
    book: DealBook,
    deals: DealFrame,
    lead_number: np.ndarray,
    campaign_number: np.ndarray,
    product_number: np.ndarray,
    account_number: np.ndarray,
    period: Period,
    seed: int,
) -> None:
    """opportunities and opportunity_stage_history (stage history ends at the current stage)."""
    rng = rng_for(seed, "stage_history")
    c = {k: book.column(k) for k in ("lead", "campaign", "account_tier")}
    n = book.size
    order = np.argsort(deals.number)
    span = deals.close - deals.created
    paths, length, max_stage = stage_paths(rng, deals.won, deals.closed, c["account_tier"] == 2, span > 20 * DAY)
    # Entry times: the first at creation, the last at close, the gaps between drawn per deal.
    width = paths.shape[1]
    pos = np.arange(width)[None, :]
    gaps = np.where(pos[:, 1:] < length[:, None], rng.gamma(2.0, 1.0, (n, width - 1)), 0.0)
    frac = np.concatenate([np.zeros((n, 1)), np.cumsum(gaps, axis=1)], axis=1) / np.maximum(gaps.sum(1), 1e-9)[:, None]
    times = deals.created[:, None] + (frac * span[:, None]).astype(np.int64)
    times[np.arange(n), length - 1] = deals.close
    kept = (pos < length[:, None]) & (times < period.end)
    n_kept = kept.sum(axis=1)
    stage = paths[np.arange(n), n_kept - 1]
    last = times[np.arange(n), n_kept - 1]
    updated = np.where(
        deals.closed,
        np.minimum(last + rng.integers(60, 2 * HOUR, n), period.end - 1),
        last + (rng.random(n) * (period.end - 1 - last)).astype(np.int64),
    )
    rows = kept[order]
    h_deal = np.broadcast_to(order[:, None], rows.shape)[rows]
    h_stage = paths[order][rows]
    h_time = times[order][rows]
    final = (np.broadcast_to(pos, rows.shape) == (length[order] - 1)[:, None])[rows]
    noise = np.round(deals.amount[h_deal] * rng.uniform(0.8, 1.2, len(h_deal)), -1)
    h_amount = np.where(final, deals.amount[h_deal], noise)

    closed = deals.closed
    loss = np.where(stage == LOST, choice_rows(rng, LOSS_BY_STAGE[max_stage]), -1)
    close_day = deals.close // DAY
    past_due = ~closed & (rng.random(n) < 0.12)  # reps forget to move the expected close date
    overdue_day = np.maximum(period.end // DAY - rng.integers(1, 60, n), deals.created // DAY + 1)
    close_day = np.where(past_due & (overdue_day < period.end // DAY), overdue_day, close_day)
    prob = np.clip(STAGE_PROBABILITY[stage] + np.where(closed, 0, rng.integers(-2, 3, n) * 5), 0, 100)
    next_step = np.array(NEXT_STEPS)[rng.integers(0, len(NEXT_STEPS), n)].astype(object)
    next_step[closed | (rng.random(n) < 0.2)] = None  # hygiene gap: open deals without next step
    o = order
    writer.write(
        "opportunities",
        {
            "opportunity_id": f.ids("OPP", deals.number[o], 7),
            "account_id": f.ids("ACC", account_number[deals.account[o]], 6),
            "owner_user_id": f.ids("USR", deals.owner[o] + 1, 4),
            "lead_id": f.ids("LEA", _take(lead_number, c["lead"][o]), 7),
            "campaign_id": f.ids("CMP", _take(campaign_number, c["campaign"][o]), 5),
            "opportunity_type": f.enums(deals.kind[o], KINDS),
            "product_id": f.ids("PRD", product_number[deals.product[o]], 4),
            "amount": f.decimals(deals.amount[o]),
            "currency": f.enums(deals.currency[o], CURRENCIES),
            "stage": f.enums(stage[o], STAGES),
            "probability": f.decimals(prob[o].astype(float), 0),
            "is_closed": f.booleans(closed[o]),
            "is_won": f.booleans(closed[o] & deals.won[o]),
            "loss_reason": f.enums(loss[o], LOSS_REASONS),
            "next_step": f.texts(next_step[o].tolist()),
            "close_date": f.dates(close_day[o]),
            "created_by_user_id": f.ids("USR", deals.owner[o] + 1, 4),
            "created_at": f.timestamps(deals.created[o]),
            "updated_at": f.timestamps(updated[o]),
        },
    )
    hd = h_deal
    writer.write(
        "opportunity_stage_history",
        {
            "stage_history_id": f.ids("STH", np.arange(1, len(hd) + 1), 8),
            "opportunity_id": f.ids("OPP", deals.number[hd], 7),
            "stage": f.enums(h_stage, STAGES),
            "amount": f.decimals(h_amount),
            "entered_at": f.timestamps(h_time),
        },
    )


def _take(numbers: np.ndarray, idx: np.ndarray) -> np.ndarray:
    idx = np.asarray(idx, dtype=np.int64)
    return np.where(idx >= 0, numbers[np.maximum(idx, 0)] if len(numbers) else NO_ID, NO_ID)
