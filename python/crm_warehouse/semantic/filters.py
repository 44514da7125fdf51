"""The app's global filters and the semantic-layer names each one filters on (one place for both).

A filter applies to a metric when the metric has one of its dimensions (first one found wins); otherwise the chart
shows it greyed out with the reason. Row-level marts (lists of accounts, deals, reps) are filtered on the first of
`columns` the mart has: the conformed column names the marts use for that attribute.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FilterSpec:
    key: str
    label: str
    help: str
    # Semantic dimensions, first one the metric has wins (a deal's own rep before its account's owner).
    dimensions: tuple[str, ...]
    # Columns of row-level marts holding the same attribute.
    columns: tuple[str, ...]
    # (table, column) pairs the sidebar reads the options from (distinct values of all of them).
    options: tuple[tuple[str, str], ...]

    def where_template(self, name: str) -> str:
        """MetricFlow where-filter on dimension `name` that a bound parameter turns on (value) or off (null)."""
        *path, entity, dimension = name.split("__")  # account__rep__team: rep__team reached through account
        via = f", entity_path={path!r}" if path else ""
        ref = f"{{{{ Dimension('{entity}__{dimension}'{via}) }}}}"
        return f"({ref} = {sentinel(self.key)} or {sentinel(self.key)} is null)"


def sentinel(key: str) -> str:
    """A literal MetricFlow keeps as is in the SQL, swapped for the named parameter $<key> after compiling."""
    return f"'__crm_param_{key}__'"


FILTERS: tuple[FilterSpec, ...] = (
    FilterSpec(
        "segment",
        "Segment (account tier)",
        "Account tier of the customer",
        ("account__tier", "opportunity__account__tier"),
        ("account_tier", "tier"),
        (("dim_accounts", "tier"),),
    ),
    FilterSpec(
        "region",
        "Region",
        "Region of the account",
        ("account__region", "opportunity__account__region"),
        ("region",),
        (("dim_accounts", "region"),),
    ),
    FilterSpec(
        "team",
        "Team",
        "Sales team of the owner of the deal, lead or account (an order: its account's owner)",
        ("rep__team", "account__rep__team"),
        ("owner_team", "team"),
        (("dim_users", "team"),),
    ),
    FilterSpec(
        "rep",
        "Rep",
        "Owner of the deal, lead or account (user id)",
        ("rep__user_id", "account__rep__user_id"),
        ("owner_user_id", "user_id"),
        (("dim_users", "user_id"),),
    ),
    FilterSpec(
        "product_family",
        "Product family",
        "Family of the deal's or order line's product",
        ("product__product_family", "opportunity__product__product_family"),
        ("product_family",),
        (("dim_products", "product_family"),),
    ),
    FilterSpec(
        "lead_source",
        "Lead source",
        "Source of the deal or lead",
        ("opportunity__lead_source", "lead__source"),
        ("lead_source",),
        (("fct_opportunities", "lead_source"), ("fct_leads", "source")),
    ),
)
FILTER_KEYS: tuple[str, ...] = tuple(f.key for f in FILTERS)
# The month range applies to every metric, on its own time (metric_time: close date, order date, month, ...).
MONTH_TEMPLATE = (
    "(cast({start} as date) is null or {{{{ TimeDimension('metric_time', 'month') }}}} >= cast({start} as date))"
    " and (cast({end} as date) is null or {{{{ TimeDimension('metric_time', 'month') }}}} <= cast({end} as date))"
).format(start=sentinel("start"), end=sentinel("end"))
