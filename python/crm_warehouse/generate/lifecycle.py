"""Customer lifecycle after the first won deal: subscriptions, renewals, churn, upsell and cross-sell.

Each customer is simulated in time order. At every renewal the churn risk rises with the account's
escalated/unresolved tickets of the past year and a low last NPS (and falls with a high one); a churned
subscription ends `cancelled` (renewal deal lost) or `expired` (nobody worked the renewal). Plan changes end
one subscription (`upgraded` / `downgraded`) and start the next the same day.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from dataclasses import dataclass, field

import numpy as np

from crm_warehouse.generate import formatting as f
from crm_warehouse.generate.catalogue import FAMILIES, TIERS, FxRates, Products
from crm_warehouse.generate.config import CURRENCIES, DAY, HOUR, Period
from crm_warehouse.generate.deals import KINDS, DealBook, single_deal
from crm_warehouse.generate.people import Users
from crm_warehouse.generate.pipeline import Accounts
from crm_warehouse.generate.sampling import NO_TIME, rng_for, sigmoid
from crm_warehouse.generate.writer import ExtractWriter

SUB_STATUSES = ("active", "cancelled", "expired", "upgraded", "downgraded")
YEAR = 365


@dataclass
class Signals:
    """Per account, sorted times of painful tickets (escalated or left unresolved) and NPS answers."""

    pain_times: dict[int, list[int]] = field(default_factory=dict)
    nps: dict[int, tuple[list[int], list[float]]] = field(default_factory=dict)

    def pains(self, account: int, t0: int, t1: int) -> int:
        times = self.pain_times.get(account, [])
        return bisect_left(times, t1) - bisect_left(times, t0)

    def last_nps(self, account: int, t: int) -> float | None:
        times, scores = self.nps.get(account, ([], []))
        k = bisect_left(times, t)
        return scores[k - 1] if k else None


@dataclass
class Sub:
    account: int
    product: int
    qty: int
    unit_price: float
    discount: float
    currency: int
    start: int  # epoch day
    renewal: int  # epoch day of the next (or last) renewal
    deal: int
    end: int | None = None
    status: int = 0
    updated: int = 0  # epoch day of the last change


@dataclass
class Lifecycle:
    subs: list[Sub]
    customer_start: np.ndarray  # epoch seconds of the first won deal, NO_TIME for prospects
    customer_end: np.ndarray  # epoch seconds the last subscription ended, NO_TIME while active


def churn_probability(health: float, pains: int, nps: float | None) -> float:
    x = -2.4 - 0.7 * health + 0.55 * pains
    if nps is not None:
        x += 1.0 if nps <= 6 else (-0.6 if nps >= 9 else 0.0)
    return float(sigmoid(np.array(x)))


def simulate(
    book: DealBook,
    period: Period,
    users: Users,
    accounts: Accounts,
    products: Products,
    fx: FxRates,
    signals: Signals,
    customer_start: np.ndarray,
    seed: int,
) -> Lifecycle:
    rng = rng_for(seed, "lifecycle")
    n_acc = len(accounts.created)
    qty, price, disc = book.column("qty"), book.column("unit_price"), book.column("discount")
    product = book.column("product")
    end_day = period.end // DAY
    subs: list[Sub] = []
    customer_end = np.full(n_acc, NO_TIME, dtype=np.int64)

    def new_deal(
        a: int, kind: str, prod: int, q: int, created: int, cycle: float, win: float, **fixed
    ) -> tuple[int, dict]:
        fields = single_deal(
            rng, products, fx, period,
            kind=KINDS.index(kind), account=a, owner=int(accounts.owner[a]), lead=-1, campaign=-1, qty=q,
            product=prod, currency=int(accounts.currency[a]), account_tier=int(accounts.tier[a]),
            created=created, cycle_days=cycle, win_p=win, **fixed,
        )  # fmt: skip
        return book.add_row(**fields), fields

    for a in np.flatnonzero(customer_start != NO_TIME).tolist():
        h = float(accounts.health[a])
        skill = float(users.skill[accounts.owner[a]])
        start_day = int(customer_start[a] // DAY)
        first = Sub(a, int(product[a]), int(qty[a]), float(price[a]), float(disc[a]),
                    int(accounts.currency[a]), start_day, start_day + YEAR, a, updated=start_day)  # fmt: skip
        active = [first]
        subs.append(first)
        events: list[tuple[int, int, str, Sub | None]] = [(first.renewal, 0, "renew", first)]
        seq = 1
        for k in range(4):
            for kind in ("upsell", "cross_sell"):
                heapq.heappush(events, (start_day + k * YEAR + int(rng.integers(60, 330)), seq, kind, None))
                seq += 1
        while events:
            day, _, kind, sub = heapq.heappop(events)
            if day >= end_day or not active:
                continue
            if kind == "renew":
                assert sub is not None
                if sub not in active:
                    continue
                t = day * DAY
                pains = signals.pains(a, t - YEAR * DAY, t)
                churn = rng.random() < churn_probability(h, pains, signals.last_nps(a, t))
                tier = int(products.tier[sub.product])
                if churn and rng.random() < 0.2:
                    _end(sub, day - 1, "expired", active)
                    continue
                downgrade = not churn and tier > 0 and rng.random() < (0.12 if h < -0.5 else 0.03)
                prod = sub.product - 1 if downgrade else sub.product
                created = max(t - 60 * DAY, sub.start * DAY + DAY) + int(rng.integers(0, 8 * HOUR))
                cycle = (t - created) / DAY - float(rng.uniform(0, 15))
                fixed = {} if downgrade else {"unit_price": sub.unit_price, "discount": sub.discount}
                deal, fields = new_deal(a, "renewal", prod, sub.qty, created, cycle, 0.0 if churn else 1.0, **fixed)
                if not fields["closed"]:
                    continue  # renewal still being negotiated at the end of the extract
                if churn:
                    _end(sub, day - 1, "cancelled", active)
                elif downgrade:
                    _end(sub, day - 1, "downgraded", active)
                    nxt = Sub(a, prod, sub.qty, fields["unit_price"], fields["discount"],
                              sub.currency, day, day + YEAR, deal, updated=day)  # fmt: skip
                    active.append(nxt), subs.append(nxt)
                    heapq.heappush(events, (nxt.renewal, seq, "renew", nxt))
                else:
                    sub.renewal += YEAR
                    sub.updated = day
                    heapq.heappush(events, (sub.renewal, seq, "renew", sub))
                seq += 1
                continue
            t = day * DAY + int(rng.integers(8 * HOUR, 18 * HOUR))
            cycle = float(rng.lognormal(np.log(35), 0.5))
            win = float(np.clip(0.5 * np.exp(0.3 * skill) + 0.1 * h, 0.1, 0.9))
            if kind == "upsell":
                options = [s for s in active if products.tier[s.product] < 2]
                if not options or rng.random() > np.clip(0.28 + 0.1 * h, 0.05, 0.6):
                    continue
                sub = options[int(rng.integers(0, len(options)))]
                q = max(1, int(sub.qty * rng.uniform(1.0, 1.3)))
                deal, fields = new_deal(a, "upsell", sub.product + 1, q, t, cycle, win)
                if fields["closed"] and fields["won"]:
                    close_day = int(fields["close"] // DAY)
                    if close_day <= sub.start or sub not in active:
                        continue
                    _end(sub, close_day - 1, "upgraded", active)
                    nxt = Sub(a, sub.product + 1, q, fields["unit_price"], fields["discount"],
                              sub.currency, close_day, close_day + YEAR, deal, updated=close_day)  # fmt: skip
                    active.append(nxt), subs.append(nxt)
                    heapq.heappush(events, (nxt.renewal, seq, "renew", nxt))
                    seq += 1
            else:
                held = {int(products.family[s.product]) for s in active}
                options = [fam for fam in range(len(FAMILIES)) if fam not in held]
                if not options or rng.random() > np.clip(0.18 + 0.06 * h, 0.03, 0.5):
                    continue
                fam = options[int(rng.integers(0, len(options)))]
                prod = int(products.index(fam, min(int(products.tier[first.product]), 1)))
                q = int(rng.integers(1, 4)) if fam == FAMILIES.index("services") else max(1, int(first.qty * 0.5))
                deal, fields = new_deal(a, "cross_sell", prod, q, t, cycle, win)
                if fields["closed"] and fields["won"] and products.is_subscription[prod]:
                    close_day = int(fields["close"] // DAY)
                    nxt = Sub(a, prod, q, fields["unit_price"], fields["discount"],
                              first.currency, close_day, close_day + YEAR, deal, updated=close_day)  # fmt: skip
                    active.append(nxt), subs.append(nxt)
                    heapq.heappush(events, (nxt.renewal, seq, "renew", nxt))
                    seq += 1
        if not active:
            customer_end[a] = max(s.end for s in subs if s.account == a and s.end is not None) * DAY
    return Lifecycle(subs=subs, customer_start=customer_start, customer_end=customer_end)


def _end(sub: Sub, day: int, status: str, active: list[Sub]) -> None:
    sub.end = max(day, sub.start)
    sub.status = SUB_STATUSES.index(status)
    sub.updated = sub.end
    active.remove(sub)


def write_subscriptions(
    writer: ExtractWriter,
    life: Lifecycle,
    products: Products,
    account_number: np.ndarray,
    period: Period,
    seed: int,
) -> None:
    rng = rng_for(seed, "subscriptions")
    subs = sorted(life.subs, key=lambda s: (s.start, s.account, s.product))
    n = len(subs)
    prod = np.array([s.product for s in subs], dtype=np.int64)
    mrr = np.array([s.qty * s.unit_price * (1 - s.discount) / 12 for s in subs])
    end = np.array([NO_TIME if s.end is None else s.end for s in subs], dtype=np.int64)
    updated = np.array([s.updated for s in subs], dtype=np.int64) * DAY + rng.integers(6 * HOUR, 20 * HOUR, n)
    writer.write(
        "subscriptions",
        {
            "subscription_id": f.ids("SUB", np.arange(1, n + 1), 6),
            "account_id": f.ids("ACC", account_number[[s.account for s in subs]], 6),
            "product_id": f.ids("PRD", prod + 1, 4),
            "plan": f.enums(products.tier[prod], TIERS),
            "mrr": f.decimals(np.round(mrr, 2)),
            "currency": f.enums(np.array([s.currency for s in subs], dtype=np.int64), CURRENCIES),
            "started_at": f.dates(np.array([s.start for s in subs], dtype=np.int64)),
            "ended_at": f.dates(end),
            "renewal_date": f.dates(np.array([s.renewal for s in subs], dtype=np.int64)),
            "status": f.enums(np.array([s.status for s in subs], dtype=np.int64), SUB_STATUSES),
            "updated_at": f.timestamps(np.minimum(updated, period.end - 1)),
        },
    )
