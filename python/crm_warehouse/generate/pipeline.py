"""Pre-sale: leads (by source, with lifecycle timestamps), the accounts and contacts they become,
and the first ("new") opportunity of every account."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from crm_warehouse.generate import formatting as f
from crm_warehouse.generate.catalogue import CHANNELS, FAMILIES, Campaigns, FxRates, Products
from crm_warehouse.generate.config import COUNTRIES, CURRENCIES, DAY, HOUR, REGION_SHARE, REGIONS, Period, ScaleConfig
from crm_warehouse.generate.deals import DealBook, deal_fields
from crm_warehouse.generate.names import DECISION_TITLES, TITLES, company_names, domain_of, person_names
from crm_warehouse.generate.people import ADMIN, REP, Users
from crm_warehouse.generate.sampling import NO_TIME, choice_rows, demand_weights, pick, rng_for, seasonal_times
from crm_warehouse.generate.writer import ExtractWriter

LEAD_SOURCES = ("website", "referral", "event", "email_campaign", "paid", "partner", "outbound")
LEAD_SOURCE_SHARE = (0.30, 0.07, 0.08, 0.15, 0.18, 0.07, 0.15)
# Lead sources differ in quality: share qualified, and share of qualified leads that convert.
QUALIFY_RATE = np.array([0.22, 0.55, 0.30, 0.15, 0.12, 0.45, 0.10])
CONVERT_RATE = np.array([0.45, 0.60, 0.45, 0.40, 0.35, 0.55, 0.40])
# Campaign channel a lead of each source is attributed to, and how often it is attributed at all.
SOURCE_CHANNELS = (("content",), ("referral",), ("event", "webinar"), ("email",), ("paid_search", "social"),
                   ("partner",), ())  # fmt: skip
SOURCE_ATTRIBUTED = np.array([0.5, 0.5, 0.9, 0.95, 0.95, 0.8, 0.0])
LEAD_STATUSES = ("new", "working", "qualified", "unqualified", "converted")

INDUSTRIES = ("software", "manufacturing", "retail", "healthcare", "financial_services", "education", "media",
              "logistics")  # fmt: skip
INDUSTRY_SHARE = (0.22, 0.15, 0.14, 0.12, 0.12, 0.08, 0.07, 0.10)
ACCOUNT_TIERS = ("enterprise", "mid_market", "smb")
ENT, MID, SMB = range(3)


@dataclass
class Leads:
    created: np.ndarray
    source: np.ndarray
    region: np.ndarray
    campaign: np.ndarray  # campaign index or -1
    owner: np.ndarray  # user index
    creator: np.ndarray
    first_response: np.ndarray
    qualified: np.ndarray
    converted: np.ndarray
    status: np.ndarray
    updated: np.ndarray
    first_name: list[str]
    last_name: list[str]
    company: list[str]
    account: np.ndarray  # account index once converted, else -1
    opportunity: np.ndarray  # deal index in the DealBook once converted, else -1


@dataclass
class Accounts:
    created: np.ndarray
    name: list[str]
    industry: np.ndarray
    employees: np.ndarray  # -1 unknown
    revenue: np.ndarray
    region: np.ndarray
    country: list[str]
    currency: np.ndarray
    tier: np.ndarray
    owner: np.ndarray
    health: np.ndarray  # latent customer health z-score (tickets, NPS, churn, expansion)
    lead: np.ndarray


def build_leads(cfg: ScaleConfig, period: Period, users: Users, campaigns: Campaigns, seed: int) -> Leads:
    rng = rng_for(seed, "leads")
    n = cfg.leads
    created = np.sort(seasonal_times(rng, n, period, demand_weights(period)))
    source = pick(rng, LEAD_SOURCES, LEAD_SOURCE_SHARE, n)
    region = pick(rng, REGIONS, REGION_SHARE, n)
    owner = users.pick_active(rng, REP, created, region)
    skill = users.skill[owner]

    channel = np.full(n, -1)
    for s, chans in enumerate(SOURCE_CHANNELS):
        rows = np.flatnonzero((source == s) & (rng.random(n) < SOURCE_ATTRIBUTED[s]))
        if chans:
            channel[rows] = np.array([CHANNELS.index(c) for c in chans])[rng.integers(0, len(chans), len(rows))]
    campaign = campaigns.lookup(rng, channel, created // DAY)

    # Better reps answer faster and qualify more.
    hours = rng.lognormal(np.log(3.0) - 0.5 * skill, 1.1)
    responded = rng.random(n) > 0.05
    first_response = np.where(responded, created + (hours * HOUR).astype(np.int64), NO_TIME)
    qualifies = responded & (rng.random(n) < np.clip(QUALIFY_RATE[source] * np.exp(0.2 * skill), 0, 0.95))
    qualified = np.where(qualifies, first_response + (rng.gamma(2.0, 3.5, n) * DAY).astype(np.int64), NO_TIME)
    converts = qualifies & (rng.random(n) < CONVERT_RATE[source])
    converted = np.where(converts, qualified + (rng.gamma(1.5, 2.0, n) * DAY).astype(np.int64), NO_TIME)
    drops = responded & ~qualifies & (rng.random(n) < 0.75)
    unqualified = np.where(drops, first_response + (rng.gamma(2.0, 5.0, n) * DAY).astype(np.int64), NO_TIME)

    # Nothing happens after the end of the extract.
    first_response[first_response >= period.end] = NO_TIME
    qualified[(qualified >= period.end) | (first_response == NO_TIME)] = NO_TIME
    converted[(converted >= period.end) | (qualified == NO_TIME)] = NO_TIME
    unqualified[(unqualified >= period.end) | (first_response == NO_TIME)] = NO_TIME
    # Never more conversions than accounts: the latest surplus stays qualified.
    conv_rows = np.flatnonzero(converted != NO_TIME)
    if len(conv_rows) > cfg.accounts * 0.9:
        converted[conv_rows[int(cfg.accounts * 0.9) :]] = NO_TIME

    status = np.select(
        [converted != NO_TIME, qualified != NO_TIME, unqualified != NO_TIME, first_response != NO_TIME],
        [4, 2, 3, 1],
        0,
    )
    last = np.max(np.stack([created, first_response, qualified, converted, unqualified]), axis=0)
    updated = np.minimum(last + rng.integers(60, 6 * HOUR, n), period.end - 1)
    admin = int(np.flatnonzero(users.role == ADMIN)[0])
    inbound = np.isin(source, [LEAD_SOURCES.index(s) for s in ("website", "paid", "email_campaign")])
    first, last_name = person_names(rng, n)
    return Leads(
        created=created,
        source=source,
        region=region,
        campaign=campaign,
        owner=owner,
        creator=np.where(inbound, admin, owner),
        first_response=first_response,
        qualified=qualified,
        converted=converted,
        status=status,
        updated=updated,
        first_name=first,
        last_name=last_name,
        company=company_names(rng, n),
        account=np.full(n, -1),
        opportunity=np.full(n, -1),
    )


def build_accounts(cfg: ScaleConfig, period: Period, users: Users, leads: Leads, seed: int) -> Accounts:
    """Accounts = converted leads plus outbound/direct accounts (no lead), ids in creation order."""
    rng = rng_for(seed, "accounts")
    from_lead = np.flatnonzero(leads.converted != NO_TIME)
    n_direct = cfg.accounts - len(from_lead)
    direct_created = seasonal_times(rng, n_direct, period, demand_weights(period))
    direct_region = pick(rng, REGIONS, REGION_SHARE, n_direct)
    created = np.concatenate([leads.converted[from_lead], direct_created])
    region = np.concatenate([leads.region[from_lead], direct_region])
    owner = np.concatenate([leads.owner[from_lead], users.pick_active(rng, REP, direct_created, direct_region)])
    lead = np.concatenate([from_lead, np.full(n_direct, -1)])
    names = [leads.company[i] for i in from_lead.tolist()] + company_names(rng, n_direct)
    # Outbound (direct) prospecting targets bigger companies.
    tier = np.concatenate(
        [
            pick(rng, ACCOUNT_TIERS, (0.10, 0.28, 0.62), len(from_lead)),
            pick(rng, ACCOUNT_TIERS, (0.25, 0.35, 0.4), n_direct),
        ]
    )
    order = np.argsort(created, kind="stable")
    created, region, owner, lead, tier = created[order], region[order], owner[order], lead[order], tier[order]
    names = [names[i] for i in order.tolist()]
    n = cfg.accounts
    leads.account[lead[lead >= 0]] = np.flatnonzero(lead >= 0)

    employees = np.select(
        [tier == SMB, tier == MID],
        [rng.lognormal(np.log(40), 0.8, n), rng.lognormal(np.log(450), 0.5, n)],
        rng.lognormal(np.log(4_000), 0.9, n),
    )
    employees = np.maximum(employees.astype(np.int64), 2)
    employees = np.where(rng.random(n) < 0.05, -1, employees)  # not filled in
    revenue = np.round(np.maximum(employees, 10) * rng.lognormal(np.log(180_000), 0.5, n), -3)
    country, currency = [], []
    u = rng.random(n)
    for r, x in zip(region.tolist(), u.tolist(), strict=True):
        options = COUNTRIES[REGIONS[r]]
        cum = np.cumsum([o[1] for o in options])
        c = options[min(int(np.searchsorted(cum, x * cum[-1], side="right")), len(options) - 1)]
        country.append(c[0]), currency.append(CURRENCIES.index(c[2]))
    return Accounts(
        created=created,
        name=names,
        industry=pick(rng, INDUSTRIES, INDUSTRY_SHARE, n),
        employees=employees,
        revenue=revenue,
        region=region,
        country=country,
        currency=np.array(currency),
        tier=tier,
        owner=owner,
        health=rng.normal(0, 1, n),
        lead=lead,
    )


# Deal cycle (median days) and base win rate by account tier: enterprise deals are longer and harder.
CYCLE_DAYS = np.array([110.0, 50.0, 21.0])
BASE_WIN = np.array([0.30, 0.36, 0.42])
SOURCE_WIN_FACTOR = np.array([1.0, 1.4, 1.1, 0.9, 0.85, 1.25, 0.8])  # by lead source
FAMILY_SHARE = (0.3, 0.25, 0.25, 0.2, 0.0)
TIER_BY_ACCOUNT = np.array([[0.0, 0.3, 0.7], [0.2, 0.6, 0.2], [0.7, 0.3, 0.0]])  # P(product tier | account)
SEATS = np.array([400.0, 60.0, 12.0])


def add_new_deals(
    book: DealBook,
    period: Period,
    users: Users,
    accounts: Accounts,
    leads: Leads,
    products: Products,
    fx: FxRates,
    seed: int,
) -> None:
    """The first opportunity of every account, created when the account is (at lead conversion)."""
    rng = rng_for(seed, "new_deals")
    n = len(accounts.created)
    family = pick(rng, FAMILIES, FAMILY_SHARE, n)
    tier = choice_rows(rng, TIER_BY_ACCOUNT[accounts.tier])
    seats = np.maximum(1, rng.lognormal(np.log(SEATS[accounts.tier]), 0.6)).astype(np.int64)
    skill = users.skill[accounts.owner]
    lead_source = np.where(accounts.lead >= 0, leads.source[np.maximum(accounts.lead, 0)], 6)
    win_p = np.clip(BASE_WIN[accounts.tier] * SOURCE_WIN_FACTOR[lead_source] * np.exp(0.35 * skill), 0.05, 0.85)
    cycle = rng.lognormal(np.log(CYCLE_DAYS[accounts.tier]) - 0.1 * skill, 0.5)
    campaign = np.where(accounts.lead >= 0, leads.campaign[np.maximum(accounts.lead, 0)], -1)
    with_services = (accounts.tier != SMB) & (rng.random(n) < 0.35)
    product = products.index(family, tier)
    deal = book.add(
        **deal_fields(
            rng,
            products,
            fx,
            period,
            kind=np.zeros(n, dtype=np.int64),
            account=np.arange(n),
            owner=accounts.owner,
            lead=accounts.lead,
            campaign=campaign,
            product=product,
            qty=seats,
            currency=accounts.currency,
            account_tier=accounts.tier,
            created=accounts.created,
            cycle_days=cycle,
            win_p=win_p,
            services=with_services,
        )
    )
    has_lead = accounts.lead >= 0
    leads.opportunity[accounts.lead[has_lead]] = deal[has_lead]


@dataclass
class Contacts:
    account: np.ndarray  # sorted by account
    created: np.ndarray
    first_name: list[str]
    last_name: list[str]
    title: list[str]
    decision_maker: np.ndarray
    channel: np.ndarray
    creator: np.ndarray


CONTACT_CHANNELS = ("email", "chat", "phone", "sms", "social", "in_person")
CONTACTS_PER_ACCOUNT = np.array([4.0, 2.0, 0.7])  # extra contacts beyond the first, by tier


def build_contacts(period: Period, accounts: Accounts, leads: Leads, seed: int) -> Contacts:
    """The first contact arrives with the account (the converted lead's person); more join later."""
    rng = rng_for(seed, "contacts")
    count = 1 + rng.poisson(CONTACTS_PER_ACCOUNT[accounts.tier])
    account = np.repeat(np.arange(len(count)), count)
    first = np.concatenate([[True], account[1:] != account[:-1]])
    n = len(account)
    joined = accounts.created[account] + (rng.exponential(120, n) * DAY).astype(np.int64)
    created = np.where(first, accounts.created[account] + rng.integers(60, 2 * HOUR, n), joined)
    created = np.where(created >= period.end, accounts.created[account] + rng.integers(60, 2 * HOUR, n), created)
    created = np.minimum(created, period.end - 1)
    first_name, last_name = person_names(rng, n)
    lead = np.where(first, accounts.lead[account], -1)
    for i in np.flatnonzero(lead >= 0).tolist():
        first_name[i], last_name[i] = leads.first_name[lead[i]], leads.last_name[lead[i]]
    title = np.array(TITLES)[rng.integers(0, len(TITLES), n)].tolist()
    decision = np.array([t in DECISION_TITLES for t in title]) | (first & (rng.random(n) < 0.5))
    channel = pick(rng, CONTACT_CHANNELS, (0.45, 0.15, 0.2, 0.05, 0.05, 0.1), n)
    return Contacts(
        account=account,
        created=created,
        first_name=first_name,
        last_name=last_name,
        title=title,
        decision_maker=decision,
        channel=channel,
        creator=accounts.owner[account],
    )


def write_leads(writer: ExtractWriter, leads: Leads, account_number: np.ndarray, deal_number: np.ndarray) -> None:
    n = len(leads.created)
    writer.write(
        "leads",
        {
            "lead_id": f.ids("LEA", np.arange(1, n + 1), 7),
            "full_name": f.texts([f"{a} {b}" for a, b in zip(leads.first_name, leads.last_name, strict=True)]),
            "email": f.texts(
                [
                    f"{a.lower()}.{b.lower()}@{domain_of(c)}"
                    for a, b, c in zip(leads.first_name, leads.last_name, leads.company, strict=True)
                ]
            ),
            "company_name": f.texts(leads.company),
            "source": f.enums(leads.source, LEAD_SOURCES),
            "campaign_id": f.ids("CMP", np.where(leads.campaign >= 0, leads.campaign + 1, -1), 5),
            "owner_user_id": f.ids("USR", leads.owner + 1, 4),
            "status": f.enums(leads.status, LEAD_STATUSES),
            "created_by_user_id": f.ids("USR", leads.creator + 1, 4),
            "created_at": f.timestamps(leads.created),
            "first_response_at": f.timestamps(leads.first_response),
            "qualified_at": f.timestamps(leads.qualified),
            "converted_at": f.timestamps(leads.converted),
            "converted_account_id": f.ids("ACC", np.where(leads.account >= 0, account_number[leads.account], -1), 6),
            "converted_opportunity_id": f.ids(
                "OPP", np.where(leads.opportunity >= 0, deal_number[leads.opportunity], -1), 7
            ),
            "updated_at": f.timestamps(leads.updated),
        },
    )


def write_accounts(writer: ExtractWriter, accounts: Accounts, period: Period, seed: int) -> None:
    rng = rng_for(seed, "accounts_out")
    n = len(accounts.created)
    updated = accounts.created + (rng.random(n) * (period.end - 1 - accounts.created)).astype(np.int64)
    writer.write(
        "accounts",
        {
            "account_id": f.ids("ACC", np.arange(1, n + 1), 6),
            "account_name": f.texts(accounts.name),
            "industry": f.enums(accounts.industry, INDUSTRIES),
            "employee_count": f.integers(accounts.employees, empty=accounts.employees < 0),
            "annual_revenue": f.decimals(accounts.revenue),
            "region": f.enums(accounts.region, REGIONS),
            "country": f.texts(accounts.country),
            "tier": f.enums(accounts.tier, ACCOUNT_TIERS),
            "owner_user_id": f.ids("USR", accounts.owner + 1, 4),
            "created_by_user_id": f.ids("USR", accounts.owner + 1, 4),
            "created_at": f.timestamps(accounts.created),
            "updated_at": f.timestamps(updated),
        },
    )


def write_contacts(writer: ExtractWriter, contacts: Contacts, period: Period, seed: int) -> None:
    rng = rng_for(seed, "contacts_out")
    n = len(contacts.account)
    ids = np.arange(1, n + 1)
    updated = contacts.created + (rng.random(n) * (period.end - 1 - contacts.created)).astype(np.int64)
    phone = [f"+1-555-{x:04d}" for x in rng.integers(0, 10_000, n).tolist()]
    writer.write(
        "contacts",
        {
            "contact_id": f.ids("CON", ids, 7),
            "account_id": f.ids("ACC", contacts.account + 1, 6),
            "first_name": f.texts(contacts.first_name),
            "last_name": f.texts(contacts.last_name),
            "email": f.texts(
                [
                    f"{a.lower()}.{b.lower()}{i}@contact.example"
                    for a, b, i in zip(contacts.first_name, contacts.last_name, ids.tolist(), strict=True)
                ]
            ),
            "phone": f.texts(phone),
            "title": f.texts(contacts.title),
            "is_decision_maker": f.booleans(contacts.decision_maker),
            "preferred_channel": f.enums(contacts.channel, CONTACT_CHANNELS),
            "created_by_user_id": f.ids("USR", contacts.creator + 1, 4),
            "created_at": f.timestamps(contacts.created),
            "updated_at": f.timestamps(updated),
        },
    )
