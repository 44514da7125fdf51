"""Synthetic CRM extract generator: `python -m crm_warehouse.generate --help`.

Writes one file per raw contract entity. Deterministic for a seed: the same seed, scale, end date and
format give byte-identical files; nothing depends on the clock.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

from crm_warehouse.contract import load_contract
from crm_warehouse.generate.activity import write_activities, write_engagement
from crm_warehouse.generate.catalogue import write_campaigns, write_fx_rates, write_products
from crm_warehouse.generate.config import DEFAULT_END_DATE, Period, scale_config
from crm_warehouse.generate.costs import write_acquisition_costs
from crm_warehouse.generate.deals import DealBook, finish_deals, write_deals
from crm_warehouse.generate.faults import FaultInjector
from crm_warehouse.generate.lifecycle import simulate, write_subscriptions
from crm_warehouse.generate.orders import write_orders
from crm_warehouse.generate.people import write_logins, write_quotas, write_users
from crm_warehouse.generate.pipeline import (
    add_new_deals,
    build_accounts,
    build_contacts,
    build_leads,
    write_accounts,
    write_contacts,
    write_leads,
)
from crm_warehouse.generate.sampling import NO_TIME
from crm_warehouse.generate.service import (
    draw_nps,
    draw_tickets,
    signals_of,
    trim_after,
    write_service_calls,
    write_surveys,
    write_tickets,
)
from crm_warehouse.generate.writer import ExtractWriter

__all__ = ["generate"]


def generate(
    out_dir: Path,
    scale: str = "demo",
    seed: int = 42,
    fmt: str = "csv",
    dirty: bool = False,
    end_date: date = DEFAULT_END_DATE,
    verbose: bool = False,
) -> dict[str, int]:
    """Generate an extract into out_dir; returns rows written per entity."""
    cfg = scale_config(scale)
    period = Period.ending(end_date)
    contract = load_contract()
    injector = FaultInjector(seed, contract) if dirty else None
    writer = ExtractWriter(Path(out_dir), fmt, contract, chunk_filter=injector, verbose=verbose)
    started = time.perf_counter()

    def step(name: str) -> None:
        if verbose:
            print(f"[{time.perf_counter() - started:6.1f}s] {name}", file=sys.stderr, flush=True)

    step(
        f"scale {cfg.label}: {cfg.accounts:,} accounts, {cfg.activities:,} activities, "
        f"{period.start_date}..{period.end_date}"
    )
    products = write_products(writer, period, seed)
    fx = write_fx_rates(writer, period, seed)
    campaigns = write_campaigns(writer, cfg, period, seed)
    users = write_users(writer, cfg, period, seed)
    step("leads, accounts, contacts")
    leads = build_leads(cfg, period, users, campaigns, seed)
    accounts = build_accounts(cfg, period, users, leads, seed)
    contacts = build_contacts(period, accounts, leads, seed)
    book = DealBook()
    add_new_deals(book, period, users, accounts, leads, products, fx, seed)
    n_acc = len(accounts.created)
    first_won = book.column("won")[:n_acc] & book.column("closed")[:n_acc]
    customer_start = np.where(first_won, book.column("close")[:n_acc], NO_TIME)

    step("tickets, NPS, customer lifecycle")
    tickets = draw_tickets(
        period, users, accounts.tier, accounts.health, customer_start, contacts.account, contacts.created, seed
    )
    nps = draw_nps(period, accounts.health, customer_start, tickets, contacts.account, contacts.created, seed)
    life = simulate(book, period, users, accounts, products, fx, signals_of(tickets, nps), customer_start, seed)
    tickets = tickets.subset(trim_after(tickets.account, tickets.opened, life.customer_end))
    nps_keep = trim_after(nps.account, nps.responded, life.customer_end)
    nps = type(nps)(nps.account[nps_keep], nps.contact[nps_keep], nps.responded[nps_keep], nps.score[nps_keep])

    step("opportunities, orders, subscriptions")
    deals = finish_deals(book)
    account_number = np.arange(1, n_acc + 1)
    write_accounts(writer, accounts, period, seed)
    write_contacts(writer, contacts, period, seed)
    write_leads(writer, leads, account_number, deals.number)
    write_deals(
        writer, book, deals, np.arange(1, len(leads.created) + 1), np.arange(1, len(campaigns.channel) + 1),
        np.arange(1, len(products.family) + 1), account_number, period, seed,
    )  # fmt: skip
    write_orders(writer, deals, accounts, products, fx, customer_start, life.customer_end, period, seed)
    write_subscriptions(writer, life, products, account_number, period, seed)
    won_usd = deals.amount * fx.to_usd(deals.currency, deals.close)
    rep_months = max(1.0, cfg.sales_reps * len(period.month_starts()))
    write_quotas(writer, users, period, fx, float(won_usd[deals.closed & deals.won].sum()) / rep_months, seed)
    write_acquisition_costs(writer, cfg, users, campaigns, period, seed)

    step("tickets, calls, surveys")
    contact_number = np.arange(1, len(contacts.account) + 1)
    write_tickets(writer, tickets, account_number, contact_number, period, seed)
    write_service_calls(writer, tickets, users, account_number, period, seed)
    write_surveys(writer, tickets, nps, account_number, contact_number, period, seed)

    step("crm logins")
    write_logins(writer, users, period, seed)
    step(f"activities ({cfg.activities:,})")
    write_activities(
        writer, cfg.activities, deals, leads, accounts, contacts, users, customer_start, life.customer_end, period, seed
    )
    step(f"engagement events ({cfg.engagement_events:,})")
    write_engagement(
        writer, cfg.engagement_events, leads, contacts, campaigns, customer_start, life.customer_end, period, seed
    )
    rows = writer.close()
    missing = sorted(set(contract) - set(rows))
    if missing:
        raise RuntimeError(f"generator wrote no file for {missing}")
    if injector is not None:
        manifest = {
            "generator": {"scale": cfg.label, "seed": seed, "format": fmt, "end_date": end_date.isoformat()},
            "rows": {name: rows[name] for name in contract},
            "faults": injector.records,
        }
        (Path(out_dir) / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    step(f"done: {sum(rows.values()):,} rows")
    return {name: rows[name] for name in contract}
