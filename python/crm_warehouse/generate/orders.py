"""Orders and order lines: one order per won deal (its lines), plus repeat add-on purchases."""

from __future__ import annotations

import numpy as np

from crm_warehouse.generate import formatting as f
from crm_warehouse.generate.catalogue import FAMILIES, FxRates, Products
from crm_warehouse.generate.config import CURRENCIES, DAY, HOUR, Period
from crm_warehouse.generate.deals import SERVICES_ONBOARDING, DealFrame
from crm_warehouse.generate.pipeline import Accounts
from crm_warehouse.generate.sampling import NO_ID, NO_TIME, rng_for, to_working_hours, uniform_between
from crm_warehouse.generate.writer import ExtractWriter

ORDER_STATUSES = ("completed", "cancelled", "refunded")
ADDON_ORDERS_PER_YEAR = 0.6


def write_orders(
    writer: ExtractWriter,
    deals: DealFrame,
    accounts: Accounts,
    products: Products,
    fx: FxRates,
    customer_start: np.ndarray,
    customer_end: np.ndarray,
    period: Period,
    seed: int,
) -> None:
    rng = rng_for(seed, "orders")
    won = np.flatnonzero(deals.closed & deals.won)
    won = won[np.argsort(deals.number[won])]
    t_deal = deals.close[won] + rng.integers(HOUR, 48 * HOUR, len(won))
    t_deal = np.where(t_deal >= period.end, deals.close[won] + (period.end - deals.close[won]) // 2, t_deal)

    # Repeat purchases: training and services packs bought while a customer.
    cust = np.flatnonzero(customer_start != NO_TIME)
    stop = np.where(customer_end[cust] == NO_TIME, period.end, customer_end[cust])
    years = (stop - customer_start[cust]) / (365 * DAY)
    count = rng.poisson(ADDON_ORDERS_PER_YEAR * years * np.exp(0.3 * accounts.health[cust]))
    addon_acc = np.repeat(cust, count)
    lo, hi = np.repeat(customer_start[cust] + 7 * DAY, count), np.repeat(stop, count)
    t_addon = uniform_between(rng, lo, hi)
    t_addon = to_working_hours(rng, t_addon, lo, hi)
    keep = t_addon < period.end
    addon_acc, t_addon = addon_acc[keep], t_addon[keep]
    n_addon = len(addon_acc)
    addon_product = FAMILIES.index("services") * 3 + (rng.random(n_addon) < 0.3)

    account = np.concatenate([deals.account[won], addon_acc])
    deal = np.concatenate([won, np.full(n_addon, -1)])
    ordered = np.concatenate([t_deal, t_addon])
    order = np.argsort(ordered, kind="stable")
    account, deal, ordered = account[order], deal[order], ordered[order]
    addon_product = np.concatenate([np.full(len(won), -1), addon_product])[order]
    n = len(account)
    currency = accounts.currency[account]
    # Unhappy customers ask for refunds more often.
    p_refund = np.clip(0.03 - 0.02 * accounts.health[account], 0.005, 0.1)
    u = rng.random(n)
    status = np.where(u < 0.03, 1, np.where(u < 0.03 + p_refund, 2, 0))
    updated = ordered + np.where(status == 0, rng.integers(60, 6 * HOUR, n), rng.integers(2 * DAY, 30 * DAY, n))
    updated = np.minimum(updated, period.end - 1)
    writer.write(
        "orders",
        {
            "order_id": f.ids("ORD", np.arange(1, n + 1), 7),
            "account_id": f.ids("ACC", account + 1, 6),
            "opportunity_id": f.ids("OPP", np.where(deal >= 0, deals.number[np.maximum(deal, 0)], NO_ID), 7),
            "ordered_at": f.timestamps(ordered),
            "status": f.enums(status, ORDER_STATUSES),
            "currency": f.enums(currency, CURRENCIES),
            "updated_at": f.timestamps(updated),
        },
    )

    # Lines: the deal's main product line, its onboarding services line, or the add-on pack.
    is_deal = deal >= 0
    d = np.maximum(deal, 0)
    main_order = np.arange(n)
    svc_order = np.flatnonzero(is_deal & deals.services[d])
    rate = fx.to_usd(currency, ordered)
    addon_price = np.round(products.list_price[np.maximum(addon_product, 0)] / rate, 2)
    addon_cost = np.round(products.unit_cost[np.maximum(addon_product, 0)] / rate, 2)
    line_order = np.concatenate([main_order, svc_order])
    product = np.concatenate(
        [np.where(is_deal, deals.product[d], addon_product), np.full(len(svc_order), SERVICES_ONBOARDING)]
    )
    qty = np.concatenate(
        [np.where(is_deal, deals.qty[d], rng.integers(1, 4, n)), np.ones(len(svc_order), dtype=np.int64)]
    )
    price = np.concatenate([np.where(is_deal, deals.unit_price[d], addon_price), deals.services_price[d[svc_order]]])
    cost = np.concatenate([np.where(is_deal, deals.unit_cost[d], addon_cost), deals.services_cost[d[svc_order]]])
    discount = np.concatenate([np.where(is_deal, deals.discount[d], 0.0), np.zeros(len(svc_order))])
    lines = np.lexsort((np.arange(len(line_order)), line_order))
    m = len(lines)
    writer.write(
        "order_items",
        {
            "order_item_id": f.ids("ORI", np.arange(1, m + 1), 8),
            "order_id": f.ids("ORD", line_order[lines] + 1, 7),
            "product_id": f.ids("PRD", product[lines] + 1, 4),
            "quantity": f.integers(qty[lines]),
            "unit_price": f.decimals(price[lines]),
            "discount_rate": f.decimals(discount[lines]),
            "unit_cost": f.decimals(cost[lines]),
        },
    )
