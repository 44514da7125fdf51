"""CRM users (reps with skill, managers, support, customer success, admins), quotas and log-ins."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from crm_warehouse.generate import formatting as f
from crm_warehouse.generate.catalogue import FxRates
from crm_warehouse.generate.config import (
    CURRENCIES,
    DAY,
    REGION_QUOTA_CURRENCY,
    REGION_SHARE,
    REGIONS,
    Period,
    ScaleConfig,
)
from crm_warehouse.generate.names import person_names
from crm_warehouse.generate.sampling import NO_TIME, business_seconds, rng_for, weekday
from crm_warehouse.generate.writer import ExtractWriter

ROLES = ("sales_rep", "sales_manager", "customer_success", "support_agent", "admin")
REP, MANAGER, CS, SUPPORT, ADMIN = range(len(ROLES))
REGION_LABEL = ("North America", "EMEA", "APAC", "LATAM")


@dataclass
class Users:
    role: np.ndarray
    region: np.ndarray
    skill: np.ndarray  # z-score: drives win rate, response time, SLA compliance
    hired: np.ndarray  # epoch seconds
    left: np.ndarray  # epoch seconds or NO_TIME while active
    propensity: np.ndarray  # share of working days the user logs in

    @property
    def number(self) -> np.ndarray:
        return np.arange(1, len(self.role) + 1)

    def serving_region(self, region: np.ndarray) -> np.ndarray:
        """Regions without reps are covered by the North America team."""
        staffed = np.isin(np.arange(len(REGIONS)), self.region[self.role == REP])
        return np.where(staffed[region], region, 0)

    def pick_active(
        self, rng: np.random.Generator, role: int, t: np.ndarray, region: np.ndarray | None = None
    ) -> np.ndarray:
        """Index of a random user of `role` (in `region` when given) employed at time t."""
        pool = np.flatnonzero(self.role == role)
        n = len(t)
        group = self.region[pool] if region is not None else np.zeros(len(pool), dtype=np.int64)
        wanted = self.serving_region(region) if region is not None else np.zeros(n, dtype=np.int64)
        out = np.full(n, -1, dtype=np.int64)
        todo = np.arange(n)
        for _ in range(12):
            order = np.argsort(group, kind="stable")
            lo = np.searchsorted(group[order], wanted[todo], "left")
            hi = np.searchsorted(group[order], wanted[todo], "right")
            cand = pool[order[np.minimum(lo + (rng.random(len(todo)) * (hi - lo)).astype(int), len(pool) - 1)]]
            left = self.left[cand]
            ok = (hi > lo) & (self.hired[cand] <= t[todo]) & ((left == NO_TIME) | (left > t[todo]))
            out[todo[ok]] = cand[ok]
            todo = todo[~ok]
            if not len(todo):
                break
        if len(todo):  # the founding member of each group is always employed
            first = {int(g): int(pool[np.flatnonzero(group == g)[0]]) for g in np.unique(group)}
            out[todo] = [first.get(int(w), int(pool[0])) for w in wanted[todo]]
        return out


def _allocate(total: int, shares: tuple[float, ...]) -> list[int]:
    raw = np.array(shares) * total
    counts = np.floor(raw).astype(int)
    for i in np.argsort(-(raw - counts), kind="stable")[: total - counts.sum()]:
        counts[i] += 1
    return counts.tolist()


def write_users(writer: ExtractWriter, cfg: ScaleConfig, period: Period, seed: int) -> Users:
    rng = rng_for(seed, "users")
    role: list[int] = []
    region: list[int] = []
    team: list[str] = []
    founding: list[bool] = []
    rep_counts = _allocate(cfg.sales_reps, REGION_SHARE)
    for r, count in enumerate(rep_counts):
        if count:
            role.append(MANAGER), region.append(r), team.append(f"Sales {REGION_LABEL[r]}"), founding.append(True)
    for r, count in enumerate(rep_counts):
        for k in range(count):
            role.append(REP), region.append(r), team.append(f"Sales {REGION_LABEL[r]}"), founding.append(k == 0)
    for rl, count, name in ((CS, cfg.customer_success, "Customer Success"), (SUPPORT, cfg.support_agents, "Support")):
        for k in range(count):
            role.append(rl), region.append(k % len(REGIONS)), team.append(name), founding.append(k == 0)
    for k in range(cfg.admins):
        role.append(ADMIN), region.append(0), team.append("Revenue Operations"), founding.append(k == 0)
    role_a, region_a, founding_a = np.array(role), np.array(region), np.array(founding)
    n = len(role_a)
    skill = rng.normal(0, 1, n)
    before = period.start - rng.integers(60, 2_000, n) * DAY
    during = period.start + rng.integers(0, 720, n) * DAY
    hired = np.where(founding_a | (rng.random(n) < 0.7), before, during)
    hired = hired // DAY * DAY
    # A fifth of the non-founding support, success and admin staff (at least one) left during the period.
    can_leave = np.flatnonzero((~founding_a) & np.isin(role_a, [CS, SUPPORT, ADMIN]))
    leaves = np.zeros(n, dtype=bool)
    if len(can_leave):
        leaves[rng.choice(can_leave, size=max(1, round(0.2 * len(can_leave))), replace=False)] = True
    employed_from = np.maximum(hired, period.start) + 60 * DAY
    left_at = employed_from + (rng.uniform(0.2, 0.9, n) * (period.end - 30 * DAY - employed_from)).astype(np.int64)
    left = np.where(leaves & (left_at < period.end), left_at, NO_TIME)
    propensity = np.clip(rng.beta(6, 2, n) * cfg.login_rate / 0.75, 0.05, 0.98)
    propensity = np.where(rng.random(n) < 0.12, rng.uniform(0.02, 0.08, n), propensity)  # barely use the CRM
    manager_of_region = {int(region_a[i]): i + 1 for i in np.flatnonzero(role_a == MANAGER)}
    manager = np.array(
        [manager_of_region.get(int(r), -1) if ro == REP else -1 for ro, r in zip(role, region, strict=True)]
    )
    first, last = person_names(rng, n)
    updated = np.where(left != NO_TIME, left, np.maximum(hired, period.start) + rng.integers(0, 300, n) * DAY)
    updated = np.minimum(updated + rng.integers(0, DAY, n), period.end - 1)
    writer.write(
        "users",
        {
            "user_id": f.ids("USR", np.arange(1, n + 1), 4),
            "full_name": f.texts([f"{a} {b}" for a, b in zip(first, last, strict=True)]),
            "email": f.texts(
                [
                    f"{a.lower()}.{b.lower()}{i + 1}@crmco.example"
                    for i, (a, b) in enumerate(zip(first, last, strict=True))
                ]
            ),
            "role": f.enums(role_a, ROLES),
            "team": f.texts(team),
            "manager_user_id": f.ids("USR", manager, 4),
            "region": f.enums(region_a, REGIONS),
            "hired_at": f.dates(hired // DAY),
            "is_active": f.booleans(left == NO_TIME),
            "updated_at": f.timestamps(updated),
        },
    )
    return Users(role=role_a, region=region_a, skill=skill, hired=hired, left=left, propensity=propensity)


def write_quotas(
    writer: ExtractWriter,
    users: Users,
    period: Period,
    fx: FxRates,
    monthly_bookings_usd: float,
    seed: int,
) -> None:
    """Monthly quota per rep in the region's currency, ramped in the first months after hire.

    `monthly_bookings_usd` is the average won amount per rep-month, so attainment lands near 85%.
    """
    rng = rng_for(seed, "quotas")
    reps = np.flatnonzero(users.role == REP)
    months = period.month_starts()
    rep_factor = rng.uniform(0.85, 1.2, len(reps))
    rows_user, rows_month, rows_amount, rows_cur = [], [], [], []
    for k, u in enumerate(reps.tolist()):
        hired_month = users.hired[u] // DAY
        for m in months.tolist():
            if m + 31 <= hired_month:
                continue
            months_in = max(0, (m - hired_month) // 30)
            ramp = (0.3, 0.6, 0.8)[months_in] if months_in < 3 else 1.0
            cur = CURRENCIES.index(REGION_QUOTA_CURRENCY[REGIONS[users.region[u]]])
            usd = monthly_bookings_usd * 1.15 * rep_factor[k] * ramp
            local = usd / fx.to_usd(np.array([cur]), np.array([m * DAY]))[0]
            rows_user.append(u + 1), rows_month.append(m), rows_cur.append(cur)
            rows_amount.append(max(500.0, round(local / 500) * 500))
    n = len(rows_user)
    writer.write(
        "quotas",
        {
            "quota_id": f.ids("QUO", np.arange(1, n + 1), 6),
            "user_id": f.ids("USR", np.array(rows_user, dtype=np.int64), 4),
            "period_month": f.dates(np.array(rows_month, dtype=np.int64)),
            "quota_amount": f.decimals(np.array(rows_amount, dtype=float)),
            "currency": f.enums(np.array(rows_cur, dtype=np.int64), CURRENCIES),
        },
    )


def write_logins(writer: ExtractWriter, users: Users, period: Period, seed: int, block: int = 400) -> None:
    """Log-ins on working days while employed; each user logs in on a share of days (propensity)."""
    rng = rng_for(seed, "crm_logins")
    days = period.start_day + np.arange(period.n_days)
    working = weekday(days) < 5
    next_id = 1
    for lo in range(0, len(users.role), block):
        idx = np.arange(lo, min(lo + block, len(users.role)))
        start = np.maximum(users.hired[idx] // DAY, period.start_day)
        stop = np.where(users.left[idx] == NO_TIME, period.start_day + period.n_days, users.left[idx] // DAY)
        employed = (days[None, :] >= start[:, None]) & (days[None, :] < stop[:, None])
        p = users.propensity[idx][:, None] * np.where(working, 1.0, 0.03)[None, :]
        sessions = np.where(employed & (rng.random(employed.shape) < p), 1 + rng.poisson(0.4, employed.shape), 0)
        u_idx, d_idx = np.nonzero(sessions)
        reps = sessions[u_idx, d_idx]
        u_idx, d_idx = np.repeat(u_idx, reps), np.repeat(d_idx, reps)
        n = len(u_idx)
        ts = days[d_idx] * DAY + business_seconds(rng, n)
        order = np.lexsort((ts, u_idx))
        ts, u_idx = ts[order], u_idx[order]
        writer.write(
            "crm_logins",
            {
                "login_id": f.ids("LOG", np.arange(next_id, next_id + n), 8),
                "user_id": f.ids("USR", idx[u_idx] + 1, 4),
                "logged_in_at": f.timestamps(ts),
                "session_seconds": f.integers(np.clip(rng.lognormal(np.log(900), 0.9, n), 30, 36_000).astype(int)),
            },
        )
        next_id += n
