"""Rewrite a contract extract (CSV) into the Salesforce export, in the Fivetran schema, that the adapter reads.

One table per Salesforce object, `<table>.csv`, with exactly the columns models/staging/salesforce/
_salesforce__sources.yml declares. Ids are Salesforce style (18 characters: the object's 3-character key prefix,
a pod, the contract number, the case-safe checksum), derived from the contract ids and reversible
(contract_id()); picklist values are labels, the first label seeds/salesforce/salesforce_picklist_map.csv maps
onto the contract value (a value the map has no label for is written title-cased, which the adapter lower-cases
back); booleans and timestamps as Fivetran writes them (true/false, 'YYYY-MM-DD HH:MM:SS').

Quirks the adapter must leave out, none of them part of the world: a few is_deleted = true rows per object (a
deleted user is _fivetran_deleted), and a superseded (_fivetran_active = false) opportunity_history version
before the first stage of some opportunities. Every contract stage-history row is written as an active version,
since the adapter keeps active versions only.

The entities Salesforce does not carry are copied as contract files beside the export, their references to
Salesforce-carried entities rewritten to Salesforce ids.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

from crm_warehouse import PROJECT_ROOT
from crm_warehouse.generate.dialects import common
from crm_warehouse.generate.dialects.common import DialectExport, fivetran_timestamp

SOURCES_YAML = PROJECT_ROOT / "models" / "staging" / "salesforce" / "_salesforce__sources.yml"
PICKLIST_MAP = PROJECT_ROOT / "seeds" / "salesforce" / "salesforce_picklist_map.csv"

# The contract entities the adapter fills (macros/sources/crm_source_entities.sql, 'salesforce').
FILLED_ENTITIES = (
    "accounts",
    "contacts",
    "leads",
    "opportunities",
    "opportunity_stage_history",
    "activities",
    "users",
    "products",
    "orders",
    "order_items",
)

# Contract id prefix -> Salesforce key prefix of the object that holds it. Activities are tasks (00T) or
# events (00U); roles (00E) have no contract id.
KEY_PREFIXES = {
    "ACC": "001",
    "CON": "003",
    "LEA": "00Q",
    "OPP": "006",
    "USR": "005",
    "PRD": "01t",
    "ORD": "801",
    "ORI": "00k",
    "ACT": "00T",
}
EVENT_PREFIX = "00U"
ROLE_PREFIX = "00E"
POD = "5G"
# Key prefix (upper-cased: the warehouse upper-cases ids, and the 18-character ids stay unique so) -> contract prefix.
CONTRACT_PREFIXES = {
    **{key.upper(): prefix for prefix, key in KEY_PREFIXES.items()},
    EVENT_PREFIX.upper(): "ACT",
}
CONTRACT_ID = re.compile(r"^(ACC|CON|LEA|OPP|USR|PRD|ORD|ORI|ACT)-(\d{1,9})$")
SALESFORCE_ID = re.compile(
    rf"(?<![0-9A-Za-z])({'|'.join(CONTRACT_PREFIXES)}){POD}(\d)(\d{{9}})[A-Z0-5]{{3}}(?![0-9A-Za-z])", re.IGNORECASE
)
CHECKSUM_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
# Salesforce ids of the quirk rows: numbers no contract id uses.
QUIRK_NUMBER = 900_000_000


def checksum(id15: str) -> str:
    """Salesforce's case-safe suffix of a 15-character id: per 5-character chunk, a bit per upper-case letter."""
    suffix = ""
    for start in (0, 5, 10):
        bits = sum(1 << i for i, char in enumerate(id15[start : start + 5]) if "A" <= char <= "Z")
        suffix += CHECKSUM_CHARS[bits]
    return suffix


def salesforce_id(key_prefix: str, number: int, width: int) -> str:
    """18-character id: key prefix, pod, the contract id's digit count, its number in 9 digits, checksum."""
    id15 = f"{key_prefix}{POD}{width}{number:09d}"
    return id15 + checksum(id15)


def to_salesforce_id(contract_id: str, key_prefix: str | None = None) -> str:
    """The Salesforce id of a contract id (ACC-000001 -> 0015G6000000001AAA); other text unchanged."""
    match = CONTRACT_ID.match(contract_id)
    if not match:
        return contract_id
    prefix, digits = match.groups()
    return salesforce_id(key_prefix or KEY_PREFIXES[prefix], int(digits), len(digits))


def contract_id(value: str | None) -> str | None:
    """Every Salesforce id in value (in any letter case) back as the contract id it was derived from: the inverse
    of to_salesforce_id, also inside composite text such as 'opportunity_created:<id>'; other text unchanged."""
    if value is None:
        return None

    def replace(match: re.Match[str]) -> str:
        key_prefix, width, number = match.groups()
        return f"{CONTRACT_PREFIXES[key_prefix.upper()]}-{int(number):0{int(width)}d}"

    return SALESFORCE_ID.sub(replace, value)


def declared_columns() -> dict[str, list[str]]:
    return common.declared_columns(SOURCES_YAML)


def picklist_labels() -> dict[str, dict[str, str]]:
    """{field: {contract value: label}}: the first label the map gives each value (the reverse of the map)."""
    labels: dict[str, dict[str, str]] = {}
    with PICKLIST_MAP.open(newline="") as handle:
        for row in csv.DictReader(handle):
            labels.setdefault(row["field"], {}).setdefault(row["contract_value"], row["salesforce_label"])
    return labels


timestamp = fivetran_timestamp


class SalesforceExport(DialectExport):
    """Reads a contract extract in `source` and writes the Salesforce export into `out`."""

    def __init__(self, source: Path, out: Path) -> None:
        super().__init__(source, out, declared_columns())
        self.labels = picklist_labels()

    def label(self, field: str, value: str) -> str:
        if not value:
            return ""
        return self.labels.get(field, {}).get(value) or value.replace("_", " ").title()

    def run(self) -> dict[str, int]:
        users = self.entity("users")
        teams = sorted({u["team"] for u in users if u["team"]})
        role_ids = {team: salesforce_id(ROLE_PREFIX, n, 0) for n, team in enumerate(teams, start=1)}
        self.write("user_role", self.user_roles(role_ids))
        self.write("user", self.users(users, role_ids))
        self.write("account", self.accounts(self.entity("accounts")))
        self.write("contact", self.contacts(self.entity("contacts")))
        self.write("lead", self.leads(self.entity("leads")))
        opportunities = self.entity("opportunities")
        self.write("opportunity", self.opportunities(opportunities))
        self.write("opportunity_history", self.history(self.entity("opportunity_stage_history"), opportunities))
        activities = self.entity("activities")
        self.write("task", self.tasks(activities))
        self.write("event", self.events(activities))
        products = self.entity("products")
        self.write("product_2", self.products(products))
        orders = self.entity("orders")
        self.write("order", self.orders(orders))
        self.write("opportunity_line_item", self.line_items(self.entity("order_items"), orders, products))
        self.copy_other_entities(FILLED_ENTITIES, to_salesforce_id)
        return dict(self.rows)

    # --- one generator per Salesforce table --------------------------------------------------------------------

    @staticmethod
    def quirk_id(key_prefix: str, n: int) -> str:
        return salesforce_id(key_prefix, QUIRK_NUMBER + n, 9)

    def user_roles(self, role_ids: dict[str, str]) -> Iterator[dict[str, str]]:
        for team, role_id in role_ids.items():
            yield {"id": role_id, "name": team, "_fivetran_deleted": "false"}
        yield {"id": self.quirk_id(ROLE_PREFIX, 1), "name": "Deleted role", "_fivetran_deleted": "true"}

    def users(self, users: list[dict[str, str]], role_ids: dict[str, str]) -> Iterator[dict[str, str]]:
        for u in users:
            yield {
                "id": to_salesforce_id(u["user_id"]),
                "name": u["full_name"],
                "email": u["email"],
                "is_active": u["is_active"],
                "user_role_id": role_ids.get(u["team"], ""),
                "manager_id": to_salesforce_id(u["manager_user_id"]),
                "_fivetran_deleted": "false",
                "_fivetran_synced": timestamp(u["updated_at"]),
            }
        yield {"id": self.quirk_id("005", 1), "name": "Deleted User", "is_active": "false", "_fivetran_deleted": "true"}

    def accounts(self, accounts: list[dict[str, str]]) -> Iterator[dict[str, str]]:
        for a in accounts:
            yield {
                "id": to_salesforce_id(a["account_id"]),
                "name": a["account_name"],
                "industry": self.label("industry", a["industry"]),
                "number_of_employees": a["employee_count"],
                "annual_revenue": a["annual_revenue"],
                "billing_country": a["country"],
                "owner_id": to_salesforce_id(a["owner_user_id"]),
                "is_deleted": "false",
                "_fivetran_synced": timestamp(a["updated_at"]),
            }
        for n in (1, 2):
            yield {"id": self.quirk_id("001", n), "name": f"Deleted account {n}", "is_deleted": "true"}

    def contacts(self, contacts: list[dict[str, str]]) -> Iterator[dict[str, str]]:
        for c in contacts:
            yield {
                "id": to_salesforce_id(c["contact_id"]),
                "account_id": to_salesforce_id(c["account_id"]),
                "first_name": c["first_name"],
                "last_name": c["last_name"],
                "email": c["email"],
                "phone": c["phone"],
                "title": c["title"],
                "created_by_id": to_salesforce_id(c["created_by_user_id"]),
                "created_date": timestamp(c["created_at"]),
                "last_modified_date": timestamp(c["updated_at"]),
                "is_deleted": "false",
            }
        yield {"id": self.quirk_id("003", 1), "last_name": "Deleted", "is_deleted": "true"}

    def leads(self, leads: list[dict[str, str]]) -> Iterator[dict[str, str]]:
        for lead in leads:
            first, _, last = lead["full_name"].partition(" ")
            converted = lead["status"] == "converted"
            yield {
                "id": to_salesforce_id(lead["lead_id"]),
                # Salesforce requires a last name: a one-word name is the last name.
                "first_name": first if last else "",
                "last_name": last or first,
                "email": lead["email"],
                "company": lead["company_name"],
                "lead_source": self.label("lead_source", lead["source"]),
                "status": self.label("lead_status", lead["status"]),
                "owner_id": to_salesforce_id(lead["owner_user_id"]),
                "created_by_id": to_salesforce_id(lead["created_by_user_id"]),
                "created_date": timestamp(lead["created_at"]),
                "is_converted": "true" if converted else "false",
                "converted_date": timestamp(lead["converted_at"]),
                "converted_account_id": to_salesforce_id(lead["converted_account_id"]),
                "converted_opportunity_id": to_salesforce_id(lead["converted_opportunity_id"]),
                "last_modified_date": timestamp(lead["updated_at"]),
                "is_deleted": "false",
            }
        yield {"id": self.quirk_id("00Q", 1), "last_name": "Deleted", "status": "New", "is_deleted": "true"}

    def opportunities(self, opportunities: list[dict[str, str]]) -> Iterator[dict[str, str]]:
        for o in opportunities:
            yield {
                "id": to_salesforce_id(o["opportunity_id"]),
                "account_id": to_salesforce_id(o["account_id"]),
                "owner_id": to_salesforce_id(o["owner_user_id"]),
                "campaign_id": o["campaign_id"],
                "name": f"Opportunity {o['opportunity_id']}",
                "type": self.label("opportunity_type", o["opportunity_type"]),
                "stage_name": self.label("stage_name", o["stage"]),
                "amount": o["amount"],
                "probability": o["probability"],
                "next_step": o["next_step"],
                "close_date": o["close_date"],
                "created_date": timestamp(o["created_at"]),
                "is_closed": o["is_closed"],
                "is_won": o["is_won"],
                "is_deleted": "false",
                "forecast_category": self.label("forecast_category", o["stage"]) if o["stage"] else "",
                "_fivetran_synced": timestamp(o["updated_at"]),
            }
        for n in (1, 2):
            yield {
                "id": self.quirk_id("006", n),
                "name": f"Deleted opportunity {n}",
                "stage_name": "Prospecting",
                "is_closed": "false",
                "is_won": "false",
                "is_deleted": "true",
            }

    def history(self, history: list[dict[str, str]], opportunities: list[dict[str, str]]) -> Iterator[dict[str, str]]:
        first_entered: dict[str, str] = {}
        for h in history:
            entered = first_entered.get(h["opportunity_id"])
            if entered is None or h["entered_at"] < entered:
                first_entered[h["opportunity_id"]] = h["entered_at"]
            yield {
                "id": to_salesforce_id(h["opportunity_id"]),
                "_fivetran_start": timestamp(h["entered_at"]),
                "_fivetran_active": "true",
                "stage_name": self.label("stage_name", h["stage"]),
                "amount": h["amount"],
                "is_deleted": "false",
            }
        # Superseded versions: a draft version one hour before the first stage of every 10th opportunity.
        for o in opportunities[::10]:
            entered = first_entered.get(o["opportunity_id"])
            if entered:
                yield {
                    "id": to_salesforce_id(o["opportunity_id"]),
                    "_fivetran_start": timestamp(entered)[:11] + "00:00:00",
                    "_fivetran_active": "false",
                    "stage_name": "Prospecting",
                    "amount": "1.00",
                    "is_deleted": "false",
                }
        for n in (1, 2):
            yield {
                "id": self.quirk_id("006", n),
                "_fivetran_start": "2024-01-01 00:00:00",
                "_fivetran_active": "true",
                "stage_name": "Prospecting",
                "is_deleted": "false",
            }

    @staticmethod
    def is_event(activity: dict[str, str]) -> bool:
        """Meetings, demos and events are calendar events when their length is whole minutes."""
        seconds = activity["duration_seconds"]
        return activity["activity_type"] in ("meeting", "demo", "event") and (not seconds or int(seconds) % 60 == 0)

    @staticmethod
    def who_what(activity: dict[str, str]) -> dict[str, str]:
        who = activity["contact_id"] or activity["lead_id"]
        return {
            "owner_id": to_salesforce_id(activity["user_id"]),
            "who_id": to_salesforce_id(who),
            "what_id": to_salesforce_id(activity["opportunity_id"]),
            "account_id": to_salesforce_id(activity["account_id"]),
        }

    def tasks(self, activities: list[dict[str, str]]) -> Iterator[dict[str, str]]:
        for a in activities:
            if self.is_event(a):
                continue
            yield {
                "id": to_salesforce_id(a["activity_id"]),
                **self.who_what(a),
                "type": self.label("task_type", a["activity_type"]),
                "task_subtype": "Call" if a["activity_type"] == "call" else "Task",
                "activity_date": timestamp(a["occurred_at"]),
                "created_date": timestamp(a["occurred_at"]),
                "call_duration_in_seconds": a["duration_seconds"],
                "is_deleted": "false",
            }
        for n in (1, 2):
            yield {"id": self.quirk_id("00T", n), "type": "Call", "is_deleted": "true"}

    def events(self, activities: list[dict[str, str]]) -> Iterator[dict[str, str]]:
        for a in activities:
            if not self.is_event(a):
                continue
            seconds = a["duration_seconds"]
            yield {
                "id": to_salesforce_id(a["activity_id"], EVENT_PREFIX),
                **self.who_what(a),
                "type": self.label("event_type", a["activity_type"]),
                "start_date_time": timestamp(a["occurred_at"]),
                "activity_date_time": timestamp(a["occurred_at"]),
                "duration_in_minutes": str(int(seconds) // 60) if seconds else "",
                "is_deleted": "false",
            }
        yield {"id": self.quirk_id(EVENT_PREFIX, 1), "type": "Meeting", "is_deleted": "true"}

    def products(self, products: list[dict[str, str]]) -> Iterator[dict[str, str]]:
        for p in products:
            yield {
                "id": to_salesforce_id(p["product_id"]),
                "name": p["product_name"],
                "family": self.label("product_family", p["product_family"]),
                "is_active": "true",
                "is_deleted": "false",
                "last_modified_date": timestamp(p["updated_at"]),
            }
        yield {"id": self.quirk_id("01t", 1), "name": "Deleted product", "is_deleted": "true"}

    def orders(self, orders: list[dict[str, str]]) -> Iterator[dict[str, str]]:
        for o in orders:
            yield {
                "id": to_salesforce_id(o["order_id"]),
                "account_id": to_salesforce_id(o["account_id"]),
                "opportunity_id": to_salesforce_id(o["opportunity_id"]),
                "status": self.label("order_status", o["status"]),
                "effective_date": timestamp(o["ordered_at"]),
                "last_modified_date": timestamp(o["updated_at"]),
                "is_deleted": "false",
            }
        yield {"id": self.quirk_id("801", 1), "status": "Draft", "is_deleted": "true"}

    def line_items(
        self, items: list[dict[str, str]], orders: list[dict[str, str]], products: list[dict[str, str]]
    ) -> Iterator[dict[str, str]]:
        order_opportunity = {o["order_id"]: o["opportunity_id"] for o in orders}
        list_price = {p["product_id"]: p["list_price"] for p in products}
        for i in items:
            rate = i["discount_rate"]
            yield {
                "id": to_salesforce_id(i["order_item_id"]),
                # A line belongs to an opportunity; the adapter finds the order through it.
                "opportunity_id": to_salesforce_id(order_opportunity.get(i["order_id"], "")),
                "product_2_id": to_salesforce_id(i["product_id"]),
                "quantity": i["quantity"],
                "unit_price": i["unit_price"],
                "list_price": list_price.get(i["product_id"], ""),
                "discount": f"{float(rate) * 100:g}" if rate else "",
                "is_deleted": "false",
            }
        yield {"id": self.quirk_id("00k", 1), "quantity": "1", "is_deleted": "true"}


def write_salesforce_export(source: Path, out: Path) -> dict[str, int]:
    """The Salesforce export of the contract extract in source (CSV), into out; rows written per file."""
    return SalesforceExport(source, out).run()
