"""Post-sale service: tickets (SLA by priority, complaints, escalations), service calls and surveys.

Tickets and NPS answers are drawn for a customer's whole potential lifetime first, because churn
depends on them; once the lifecycle has decided who churned, whatever falls after a customer left is
dropped (`trim`), and CSAT/CES answers and calls are drawn from the tickets that remain.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from crm_warehouse.generate import formatting as f
from crm_warehouse.generate.config import DAY, HOUR, Period
from crm_warehouse.generate.lifecycle import Signals
from crm_warehouse.generate.names import COMMENTS, FOREIGN_COMMENT_SHARE, FOREIGN_COMMENTS, TICKET_TEXT
from crm_warehouse.generate.people import SUPPORT, Users
from crm_warehouse.generate.sampling import NO_TIME, choice_rows, rng_for, to_working_hours, uniform_between
from crm_warehouse.generate.writer import ExtractWriter

CHANNELS = ("email", "chat", "phone", "web", "social")
PRIORITIES = ("low", "medium", "high", "urgent")
CATEGORIES = ("billing", "technical", "how_to", "feature_request", "complaint", "outage")
COMPLAINT = CATEGORIES.index("complaint")
STATUSES = ("open", "pending", "resolved", "closed")
SLA_FIRST_RESPONSE_HOURS = np.array([24.0, 8.0, 4.0, 1.0])
SLA_RESOLUTION_HOURS = np.array([120.0, 72.0, 24.0, 8.0])
TICKETS_PER_YEAR = np.array([14.0, 7.0, 3.0])  # by account tier
PRIORITY_BY_CATEGORY = np.array(
    [[0.4, 0.4, 0.15, 0.05], [0.2, 0.45, 0.25, 0.1], [0.6, 0.35, 0.05, 0.0], [0.7, 0.3, 0.0, 0.0],
     [0.1, 0.4, 0.4, 0.1], [0.0, 0.05, 0.35, 0.6]]
)  # fmt: skip
SURVEY_TYPES = ("nps", "csat", "ces")
SCALE = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}


@dataclass
class Tickets:
    account: np.ndarray
    contact: np.ndarray
    agent: np.ndarray
    channel: np.ndarray
    priority: np.ndarray
    category: np.ndarray
    opened: np.ndarray
    first_response: np.ndarray
    resolved: np.ndarray
    escalated: np.ndarray
    interactions: np.ndarray

    def subset(self, keep: np.ndarray) -> Tickets:
        return Tickets(**{fl.name: getattr(self, fl.name)[keep] for fl in fields(self)})

    @property
    def painful(self) -> np.ndarray:
        return (self.escalated != NO_TIME) | (self.resolved == NO_TIME)


@dataclass
class Nps:
    account: np.ndarray
    contact: np.ndarray
    responded: np.ndarray
    score: np.ndarray


def _contact_of(rng, contact_account: np.ndarray, contact_created: np.ndarray, account: np.ndarray, t: np.ndarray):
    """A random contact of the account that existed at t (the account's first contact otherwise)."""
    order = np.argsort(contact_account, kind="stable")
    lo = np.searchsorted(contact_account[order], account, "left")
    hi = np.searchsorted(contact_account[order], account, "right")
    pos = lo + (rng.random(len(account)) * np.maximum(hi - lo, 1)).astype(np.int64)
    cand = order[np.minimum(pos, len(order) - 1)]
    first = order[np.minimum(lo, len(order) - 1)]
    return np.where(contact_created[cand] <= t, cand, first)


def draw_tickets(
    period: Period,
    users: Users,
    account_tier: np.ndarray,
    health: np.ndarray,
    customer_start: np.ndarray,
    contact_account: np.ndarray,
    contact_created: np.ndarray,
    seed: int,
) -> Tickets:
    rng = rng_for(seed, "tickets")
    cust = np.flatnonzero(customer_start != NO_TIME)
    years = (period.end - customer_start[cust]) / (365 * DAY)
    rate = TICKETS_PER_YEAR[account_tier[cust]] * np.exp(-0.35 * health[cust])
    count = rng.poisson(rate * years)
    account = np.repeat(cust, count)
    n = len(account)
    h = health[account]
    since = np.repeat(customer_start[cust], count)
    opened = uniform_between(rng, since, np.full(n, period.end))
    office = to_working_hours(rng, opened, since, np.full(n, period.end))
    opened = np.where(rng.random(n) < 0.8, office, opened)
    order = np.argsort(opened, kind="stable")
    account, opened, h = account[order], opened[order], h[order]
    base = np.array([0.15, 0.33, 0.25, 0.1, 0.1, 0.07])
    unhappy = np.array([0.15, 0.3, 0.15, 0.05, 0.28, 0.07])  # unhealthy accounts complain more
    category = choice_rows(rng, np.where((h < -0.5)[:, None], unhappy, base))
    priority = choice_rows(rng, PRIORITY_BY_CATEGORY[category])
    channel = choice_rows(rng, np.tile([0.35, 0.25, 0.2, 0.15, 0.05], (n, 1)))
    agent = users.pick_active(rng, SUPPORT, opened)
    skill = users.skill[agent]
    fr_hours = SLA_FIRST_RESPONSE_HOURS[priority] * rng.lognormal(-0.5 - 0.3 * skill, 0.8)
    first_response = opened + (fr_hours * HOUR).astype(np.int64)
    res_hours = SLA_RESOLUTION_HOURS[priority] * rng.lognormal(-0.4 - 0.2 * skill + 0.3 * (h < 0), 0.9)
    res_hours = np.maximum(res_hours, fr_hours + 0.1)
    resolved = opened + (res_hours * HOUR).astype(np.int64)
    stuck = rng.random(n) < 0.03 + 0.05 * (h < -0.5)
    resolved = np.where(stuck | (resolved >= period.end), NO_TIME, resolved)
    first_response = np.where(first_response >= period.end, NO_TIME, first_response)
    p_esc = np.array([0.03, 0.06, 0.15, 0.3])[priority] + 0.12 * (category == COMPLAINT) + 0.08 * (h < -1)
    esc_at = opened + (rng.uniform(0.1, 0.6, n) * res_hours * HOUR).astype(np.int64)
    escalated = np.where((rng.random(n) < p_esc) & (esc_at < period.end), esc_at, NO_TIME)
    fcr = np.isin(category, [0, 2]) & (rng.random(n) < 0.55) & (escalated == NO_TIME)
    interactions = np.where(fcr, 1, 2 + rng.poisson(1.5, n) + 2 * (escalated != NO_TIME))
    return Tickets(
        account=account,
        contact=_contact_of(rng, contact_account, contact_created, account, opened),
        agent=agent,
        channel=channel,
        priority=priority,
        category=category,
        opened=opened,
        first_response=first_response,
        resolved=resolved,
        escalated=escalated,
        interactions=interactions,
    )


def draw_nps(
    period: Period,
    health: np.ndarray,
    customer_start: np.ndarray,
    tickets: Tickets,
    contact_account: np.ndarray,
    contact_created: np.ndarray,
    seed: int,
) -> Nps:
    """Half-yearly relationship NPS; the score falls with recent painful tickets."""
    rng = rng_for(seed, "nps")
    cust = np.flatnonzero(customer_start != NO_TIME)
    waves = np.maximum(0, (period.end - customer_start[cust] - 90 * DAY) // (182 * DAY) + 1)
    account = np.repeat(cust, waves)
    k = np.arange(len(account)) - np.repeat(np.cumsum(waves) - waves, waves)
    t = customer_start[account] + (90 + 182 * k) * DAY + rng.integers(0, 20 * DAY, len(account))
    keep = (rng.random(len(account)) < 0.6) & (t < period.end)
    account, t = account[keep], t[keep]
    pain_key = tickets.account[tickets.painful] * 2**32 + tickets.opened[tickets.painful]
    pain_key.sort()
    recent = np.searchsorted(pain_key, account * 2**32 + t) - np.searchsorted(pain_key, account * 2**32 + t - 180 * DAY)
    latent = 7.7 + 1.3 * health[account] - 0.7 * recent + rng.normal(0, 1.4, len(account))
    score = np.clip(np.round(latent), 0, 10)
    order = np.argsort(t, kind="stable")
    account, t, score = account[order], t[order], score[order]
    contact = _contact_of(rng, contact_account, contact_created, account, t)
    return Nps(account=account, contact=contact, responded=t, score=score)


def signals_of(tickets: Tickets, nps: Nps) -> Signals:
    s = Signals()
    pain = tickets.painful
    for a, t in zip(tickets.account[pain].tolist(), tickets.opened[pain].tolist(), strict=True):
        s.pain_times.setdefault(a, []).append(t)
    for a, t, score in zip(nps.account.tolist(), nps.responded.tolist(), nps.score.tolist(), strict=True):
        times, scores = s.nps.setdefault(a, ([], []))
        times.append(t), scores.append(score)
    return s


def trim_after(account: np.ndarray, t: np.ndarray, customer_end: np.ndarray, grace_days: int = 30) -> np.ndarray:
    """Rows to keep: before the customer left (plus a grace period for last complaints)."""
    end = customer_end[account]
    return (end == NO_TIME) | (t < end + grace_days * DAY)


def write_tickets(writer: ExtractWriter, tk: Tickets, account_number, contact_number, period: Period, seed: int):
    rng = rng_for(seed, "tickets_out")
    n = len(tk.account)
    status = np.where(
        tk.resolved == NO_TIME,
        np.where(tk.first_response == NO_TIME, 0, 1),
        np.where((tk.resolved < period.end - 7 * DAY) & (rng.random(n) < 0.85), 3, 2),
    )
    last = np.max(np.stack([tk.opened, tk.first_response, tk.resolved, tk.escalated]), axis=0)
    updated = np.minimum(last + rng.integers(60, 4 * HOUR, n), period.end - 1)
    subject = np.array([TICKET_TEXT[c][0] for c in CATEGORIES])[tk.category]
    text = np.array([TICKET_TEXT[c][1] for c in CATEGORIES])[tk.category]
    writer.write(
        "tickets",
        {
            "ticket_id": f.ids("TCK", np.arange(1, n + 1), 7),
            "account_id": f.ids("ACC", account_number[tk.account], 6),
            "contact_id": f.ids("CON", contact_number[tk.contact], 7),
            "assigned_user_id": f.ids("USR", tk.agent + 1, 4),
            "channel": f.enums(tk.channel, CHANNELS),
            "priority": f.enums(tk.priority, PRIORITIES),
            "category": f.enums(tk.category, CATEGORIES),
            "subject": f.texts(subject.tolist()),
            "description": f.texts(text.tolist()),
            "status": f.enums(status, STATUSES),
            "opened_at": f.timestamps(tk.opened),
            "first_response_at": f.timestamps(tk.first_response),
            "resolved_at": f.timestamps(tk.resolved),
            "escalated_at": f.timestamps(tk.escalated),
            "interactions_count": f.integers(tk.interactions),
            "sla_first_response_hours": f.decimals(SLA_FIRST_RESPONSE_HOURS[tk.priority], 1),
            "sla_resolution_hours": f.decimals(SLA_RESOLUTION_HOURS[tk.priority], 1),
            "updated_at": f.timestamps(updated),
        },
    )


def _tone(survey: np.ndarray, score: np.ndarray) -> np.ndarray:
    """0 positive, 1 neutral, 2 negative, matching the score on the survey's scale (CES: low = easy)."""
    nps = np.where(score >= 9, 0, np.where(score >= 7, 1, 2))
    csat = np.where(score >= 4, 0, np.where(score >= 3, 1, 2))
    ces = np.where(score <= 2, 0, np.where(score <= 4, 1, 2))
    return np.select([survey == 0, survey == 1], [nps, csat], ces)


def _some_in_other_languages(comment: np.ndarray, tone: np.ndarray, seed: int) -> np.ndarray:
    """A share (FOREIGN_COMMENT_SHARE) of the written comments replaced by a German or Spanish one of the same tone.
    Drawn from its own stream, always n values of each draw, so every other generated value stays the same."""
    rng = rng_for(seed, "survey_comment_language")
    n = len(comment)
    replace = rng.random(n) < FOREIGN_COMMENT_SHARE
    pick = rng.integers(0, 1 << 30, n)
    pools = [FOREIGN_COMMENTS[k] for k in ("positive", "neutral", "negative")]
    out = comment.copy()
    for i in np.flatnonzero(replace & np.array([c is not None for c in comment], dtype=bool)).tolist():
        pool = pools[int(tone[i])]
        out[i] = pool[int(pick[i]) % len(pool)]
    return out


def write_surveys(writer: ExtractWriter, tk: Tickets, nps: Nps, account_number, contact_number, period, seed):
    rng = rng_for(seed, "surveys")
    solved = np.flatnonzero((tk.resolved != NO_TIME) & (rng.random(len(tk.account)) < 0.35))
    kind = np.where(rng.random(len(solved)) < 0.7, 1, 2)
    t = tk.resolved[solved] + rng.integers(HOUR, 3 * DAY, len(solved))
    esc = tk.escalated[solved] != NO_TIME
    late = (tk.resolved[solved] - tk.opened[solved]) > SLA_RESOLUTION_HOURS[tk.priority[solved]] * HOUR
    csat = np.clip(np.round(4.3 - 1.2 * esc - 0.8 * late + rng.normal(0, 0.7, len(solved))), 1, 5)
    ces = np.clip(np.round(2.3 + 1.5 * esc + 0.25 * tk.interactions[solved] + rng.normal(0, 1, len(solved))), 1, 7)
    survey = np.concatenate([np.zeros(len(nps.account), dtype=np.int64), kind])
    account = np.concatenate([nps.account, tk.account[solved]])
    contact = np.concatenate([nps.contact, tk.contact[solved]])
    ticket = np.concatenate([np.full(len(nps.account), -1), solved])
    responded = np.concatenate([nps.responded, t])
    score = np.concatenate([nps.score, np.where(kind == 1, csat, ces)])
    keep = responded < period.end
    order = np.argsort(responded[keep], kind="stable")
    survey, account, contact, ticket, responded, score = (
        x[keep][order] for x in (survey, account, contact, ticket, responded, score)
    )
    n = len(survey)
    tone = _tone(survey, score)
    pools = [np.array(COMMENTS[k]) for k in ("positive", "neutral", "negative")]
    comment = np.array([pools[k][rng.integers(0, len(pools[k]))] for k in tone.tolist()], dtype=object)
    comment[rng.random(n) < 0.45] = None
    comment = _some_in_other_languages(comment, tone, seed)
    lo = np.array([SCALE[s][0] for s in SURVEY_TYPES])
    hi = np.array([SCALE[s][1] for s in SURVEY_TYPES])
    writer.write(
        "survey_responses",
        {
            "response_id": f.ids("SRV", np.arange(1, n + 1), 7),
            "account_id": f.ids("ACC", account_number[account], 6),
            "contact_id": f.ids("CON", contact_number[contact], 7),
            "ticket_id": f.ids("TCK", np.where(ticket >= 0, ticket + 1, -1), 7),
            "survey_type": f.enums(survey, SURVEY_TYPES),
            "score": f.decimals(score, 0),
            "scale_min": f.integers(lo[survey]),
            "scale_max": f.integers(hi[survey]),
            "responded_at": f.timestamps(responded),
            "comment": f.texts(comment.tolist()),
        },
    )


def write_service_calls(writer: ExtractWriter, tk: Tickets, users: Users, account_number, period: Period, seed: int):
    """Phone tickets bring 1+ calls; other calls are never tied to a ticket. Patience runs out -> abandoned."""
    rng = rng_for(seed, "service_calls")
    phone = np.flatnonzero(tk.channel == CHANNELS.index("phone"))
    per = 1 + rng.poisson(0.5, len(phone))
    ticket = np.repeat(phone, per)
    first = np.concatenate([[True], ticket[1:] != ticket[:-1]]) if len(ticket) else np.array([], dtype=bool)
    stop = np.where(tk.resolved[ticket] == NO_TIME, period.end, tk.resolved[ticket])
    queued = np.where(first, tk.opened[ticket], uniform_between(rng, tk.opened[ticket], stop))
    n_loose = int(len(ticket) * 0.3)
    loose_t = uniform_between(rng, np.full(n_loose, period.start), np.full(n_loose, period.end))
    loose_t = to_working_hours(rng, loose_t, np.full(n_loose, period.start), np.full(n_loose, period.end))
    pick_acc = rng.integers(0, max(len(tk.account), 1), n_loose)
    loose_acc = np.where(
        (rng.random(n_loose) < 0.6) & (len(tk.account) > 0), tk.account[pick_acc] if len(tk.account) else -1, -1
    )
    queued = np.concatenate([queued, loose_t])
    ticket = np.concatenate([ticket, np.full(n_loose, -1)])
    account = np.concatenate([tk.account[ticket[: len(ticket) - n_loose]], loose_acc])
    n = len(queued)
    busy = (queued // 3600 % 24 >= 9) & (queued // 3600 % 24 < 11)  # morning peak waits longer
    wait = rng.exponential(np.where(busy, 160, 70), n).astype(np.int64)
    patience = rng.exponential(420, n).astype(np.int64)
    abandoned = wait > patience
    answered = np.where(abandoned, NO_TIME, queued + wait)
    handle = np.clip(rng.lognormal(np.log(420), 0.6, n), 30, 7200).astype(np.int64)
    ended = np.where(abandoned, queued + patience, answered + handle)
    agent = np.where(ticket >= 0, tk.agent[np.maximum(ticket, 0)], users.pick_active(rng, SUPPORT, queued))
    keep = ended < period.end
    order = np.argsort(queued[keep], kind="stable")
    account, ticket, agent, queued, answered, ended, abandoned, handle = (
        x[keep][order] for x in (account, ticket, agent, queued, answered, ended, abandoned, handle)
    )
    m = len(queued)
    writer.write(
        "service_calls",
        {
            "call_id": f.ids("CALL", np.arange(1, m + 1), 7),
            "account_id": f.ids("ACC", np.where(account >= 0, account_number[np.maximum(account, 0)], -1), 6),
            "ticket_id": f.ids("TCK", np.where(ticket >= 0, ticket + 1, -1), 7),
            "agent_user_id": f.ids("USR", np.where(abandoned, -1, agent + 1), 4),
            "queued_at": f.timestamps(queued),
            "answered_at": f.timestamps(answered),
            "ended_at": f.timestamps(ended),
            "outcome": f.enums(abandoned.astype(np.int64), ("answered", "abandoned")),
            "handle_seconds": f.integers(handle, empty=abandoned),
        },
    )
