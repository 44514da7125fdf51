"""The large behavioural tables, generated and written in chunks: sales activities and engagement events.

The row count is fixed by the scale; each row picks a parent (a deal, a lead, a customer) with a weight
proportional to how long and how intensely that parent is worked, then a time inside the parent's window.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from crm_warehouse.generate import formatting as f
from crm_warehouse.generate.catalogue import CHANNELS, Campaigns
from crm_warehouse.generate.config import DAY, Period
from crm_warehouse.generate.deals import DealFrame
from crm_warehouse.generate.people import Users
from crm_warehouse.generate.pipeline import Accounts, Contacts, Leads
from crm_warehouse.generate.sampling import NO_ID, NO_TIME, rng_for, to_working_hours, uniform_between
from crm_warehouse.generate.service import _contact_of
from crm_warehouse.generate.writer import ExtractWriter

CHUNK = 500_000
ACTIVITY_TYPES = ("call", "email", "meeting", "demo", "sample", "event", "proposal")
DEAL_MIX = np.array([0.32, 0.33, 0.12, 0.08, 0.03, 0.07, 0.05])
LEAD_MIX = np.array([0.5, 0.5, 0, 0, 0, 0, 0])
CUSTOMER_MIX = np.array([0.35, 0.4, 0.2, 0, 0, 0.05, 0])
EVENT_TYPES = ("email_sent", "email_open", "email_click", "web_visit", "form_submit", "event_attended",
               "webinar_attended", "social_engagement", "list_subscribe", "list_unsubscribe")  # fmt: skip
EVENT_MIX = np.array([0.36, 0.2, 0.07, 0.2, 0.05, 0.02, 0.03, 0.04, 0.02, 0.01])
INTENT_MIX = np.array([0.2, 0.17, 0.12, 0.25, 0.1, 0.04, 0.06, 0.05, 0.01, 0.0])  # before qualifying
_EVENT_CHANNEL = ("email", "email", "email", None, None, "event", "webinar", "social", "email", None)
EVENT_CHANNEL = np.array([CHANNELS.index(c) if c else -1 for c in _EVENT_CHANNEL])


@dataclass
class Windows:
    """Parents of one group: time window [lo, hi) and sampling weight."""

    lo: np.ndarray
    hi: np.ndarray
    weight: np.ndarray

    def sample(self, rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
        cum = np.cumsum(self.weight)
        idx = np.minimum(np.searchsorted(cum, rng.random(n) * cum[-1], side="right"), len(cum) - 1)
        t = uniform_between(rng, self.lo[idx], self.hi[idx])
        return idx, to_working_hours(rng, t, self.lo[idx], self.hi[idx])


def _split(total: int, shares: list[float]) -> list[int]:
    counts = [int(total * s) for s in shares]
    counts[0] += total - sum(counts)
    return counts


def _types(rng: np.random.Generator, mix: np.ndarray, n: int) -> np.ndarray:
    return rng.choice(len(mix), size=n, p=mix / mix.sum())


def write_activities(
    writer: ExtractWriter,
    total: int,
    deals: DealFrame,
    leads: Leads,
    accounts: Accounts,
    contacts: Contacts,
    users: Users,
    customer_start: np.ndarray,
    customer_end: np.ndarray,
    period: Period,
    seed: int,
) -> None:
    rng = rng_for(seed, "activities")
    deal_hi = np.minimum(deals.close, period.end)
    tier_intensity = np.array([3.0, 2.0, 1.0])[accounts.tier[deals.account]]
    deal_w = Windows(deals.created, deal_hi, np.maximum(deal_hi - deals.created, DAY) / DAY * tier_intensity)
    stop = np.min(np.stack([np.where(x == NO_TIME, period.end, x) for x in (leads.qualified, leads.converted)]), axis=0)
    lead_hi = np.minimum(np.minimum(stop, leads.created + 30 * DAY), period.end)
    lead_hi = np.maximum(lead_hi, leads.created + 3600)
    lead_w = Windows(leads.created, lead_hi, np.where(leads.first_response == NO_TIME, 0.3, 1.0))
    cust = np.flatnonzero(customer_start != NO_TIME)
    cust_hi = np.where(customer_end[cust] == NO_TIME, period.end, customer_end[cust])
    cust_w = Windows(
        customer_start[cust], cust_hi, (cust_hi - customer_start[cust]) / DAY * tier_intensity_of(accounts, cust)
    )
    groups = [g for g in ((deal_w, 0.5), (lead_w, 0.25), (cust_w, 0.25)) if len(g[0].lo)]
    next_id = 1
    for start in range(0, max(total, 1), CHUNK):
        size = min(CHUNK, total - start)
        parts = []
        for (win, _), n in zip(groups, _split(size, [s for _, s in groups]), strict=True):
            idx, t = win.sample(rng, n)
            if win is deal_w:
                acc, user, opp, lead = deals.account[idx], deals.owner[idx], deals.number[idx], np.full(n, NO_ID)
                kind = _types(rng, DEAL_MIX, n)
            elif win is lead_w:
                acc, user, opp, lead = np.full(n, -1), leads.owner[idx], np.full(n, NO_ID), idx + 1
                kind = _types(rng, LEAD_MIX, n)
            else:
                acc = cust[idx]
                user, opp, lead = accounts.owner[acc], np.full(n, NO_ID), np.full(n, NO_ID)
                kind = _types(rng, CUSTOMER_MIX, n)
            parts.append((acc, user, opp, lead, kind, t))
        acc, user, opp, lead, kind, t = (np.concatenate(x) for x in zip(*parts, strict=True))
        n = len(t)
        has_acc = acc >= 0
        contact = np.where(
            has_acc, _contact_of(rng, contacts.account, contacts.created, np.maximum(acc, 0), t) + 1, NO_ID
        )
        call = kind == ACTIVITY_TYPES.index("call")
        connected = np.where(call, rng.random(n) < np.clip(0.35 + 0.06 * users.skill[user], 0.1, 0.7), True)
        duration = np.select(
            [call & connected, call, np.isin(kind, [2, 3]), kind == 5],
            [
                rng.lognormal(np.log(300), 0.7, n),
                rng.uniform(5, 40, n),
                rng.uniform(1800, 3600, n),
                rng.uniform(3600, 10800, n),
            ],
            -1,
        ).astype(np.int64)
        no_flag = np.isin(kind, [1, 4, 6])  # email, sample, proposal: nobody to reach
        writer.write(
            "activities",
            {
                "activity_id": f.ids("ACT", np.arange(next_id, next_id + n), 9),
                "activity_type": f.enums(kind, ACTIVITY_TYPES),
                "user_id": f.ids("USR", user + 1, 4),
                "account_id": f.ids("ACC", np.where(has_acc, acc + 1, NO_ID), 6),
                "contact_id": f.ids("CON", contact, 7),
                "lead_id": f.ids("LEA", lead, 7),
                "opportunity_id": f.ids("OPP", opp, 7),
                "occurred_at": f.timestamps(t),
                "duration_seconds": f.integers(np.maximum(duration, 0), empty=duration < 0),
                "is_connected": f.booleans(connected, empty=no_flag),
            },
        )
        next_id += n


def tier_intensity_of(accounts: Accounts, idx: np.ndarray) -> np.ndarray:
    return np.array([3.0, 2.0, 1.0])[accounts.tier[idx]]


def write_engagement(
    writer: ExtractWriter,
    total: int,
    leads: Leads,
    contacts: Contacts,
    campaigns: Campaigns,
    customer_start: np.ndarray,
    customer_end: np.ndarray,
    period: Period,
    seed: int,
) -> None:
    """Lead engagement concentrates in the weeks before qualification; customers get newsletters."""
    rng = rng_for(seed, "engagement_events")
    qualified = leads.qualified != NO_TIME
    # Leads that go on to convert engage most, and most with high-intent touches (forms, webinars, clicks).
    converted = leads.converted != NO_TIME
    lead_weight = 1.0 + 2.0 * qualified + 2.0 * converted
    lead_cum = np.cumsum(lead_weight)
    cust_contact = np.flatnonzero(customer_start[contacts.account] != NO_TIME)
    c_acc = contacts.account[cust_contact]
    c_lo = np.maximum(contacts.created[cust_contact], customer_start[c_acc])
    c_hi = np.where(customer_end[c_acc] == NO_TIME, period.end, customer_end[c_acc])
    ok = c_hi > c_lo
    cust_contact, c_lo, c_hi = cust_contact[ok], c_lo[ok], c_hi[ok]
    next_id = 1
    for start in range(0, max(total, 1), CHUNK):
        size = min(CHUNK, total - start)
        n_lead, n_cust = _split(size, [0.6, 0.4]) if len(cust_contact) else (size, 0)
        li = np.minimum(np.searchsorted(lead_cum, rng.random(n_lead) * lead_cum[-1], side="right"), len(lead_cum) - 1)
        before_q = leads.qualified[li] - (rng.exponential(10, n_lead) * DAY).astype(np.int64)
        around = leads.created[li] + (rng.uniform(-10, 60, n_lead) * DAY).astype(np.int64)
        t_lead = np.where(qualified[li] & (rng.random(n_lead) < 0.8), before_q, around)
        bad = (t_lead < period.start) | (t_lead >= period.end)
        t_lead = np.where(
            bad, uniform_between(rng, np.maximum(leads.created[li], period.start), np.full(n_lead, period.end)), t_lead
        )
        ci = rng.integers(0, max(len(cust_contact), 1), n_cust)
        t_cust = uniform_between(rng, c_lo[ci], c_hi[ci]) if n_cust else np.array([], dtype=np.int64)
        t = np.concatenate([t_lead, t_cust])
        kind = rng.choice(len(EVENT_MIX), size=size, p=EVENT_MIX)
        intent = np.concatenate([qualified[li] & (t_lead < leads.qualified[li]), np.zeros(n_cust, dtype=bool)])
        kind = np.where(intent, rng.choice(len(INTENT_MIX), size=size, p=INTENT_MIX), kind)
        lead = np.concatenate([li + 1, np.full(n_cust, NO_ID)])
        contact = np.concatenate(
            [np.full(n_lead, NO_ID), cust_contact[ci] + 1 if n_cust else np.array([], dtype=np.int64)]
        )
        account = np.concatenate([np.full(n_lead, NO_ID), c_acc[ci] + 1 if n_cust else np.array([], dtype=np.int64)])
        own = np.concatenate([np.where(rng.random(n_lead) < 0.6, leads.campaign[li], -1), np.full(n_cust, -1)])
        found = campaigns.lookup(rng, EVENT_CHANNEL[kind], t // DAY)
        campaign = np.where(own >= 0, own, found)
        writer.write(
            "engagement_events",
            {
                "event_id": f.ids("EVT", np.arange(next_id, next_id + size), 9),
                "event_type": f.enums(kind, EVENT_TYPES),
                "contact_id": f.ids("CON", contact, 7),
                "lead_id": f.ids("LEA", lead, 7),
                "account_id": f.ids("ACC", account, 6),
                "campaign_id": f.ids("CMP", np.where(campaign >= 0, campaign + 1, NO_ID), 5),
                "occurred_at": f.timestamps(t),
            },
        )
        next_id += size
