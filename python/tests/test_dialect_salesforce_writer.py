"""The Salesforce dialect writer (generate --dialect salesforce) on a tiny hand-made contract world.

Expected values worked out by hand from the rows below, the Salesforce id rule (key prefix, pod 5G, the contract
id's digit count, its number in 9 digits, the case-safe checksum) and seeds/salesforce/salesforce_picklist_map.csv.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from crm_warehouse.contract import load_contract
from crm_warehouse.generate.dialects.salesforce import (
    checksum,
    contract_id,
    declared_columns,
    to_salesforce_id,
    write_salesforce_export,
)

WORLD: dict[str, list[dict[str, str]]] = {
    "users": [
        {
            "user_id": "USR-0001",
            "full_name": "Ann Lee",
            "email": "ann@x.example",
            "team": "Sales EMEA",
            "is_active": "true",
            "updated_at": "2024-01-02T03:04:05Z",
        },
        {
            "user_id": "USR-0002",
            "full_name": "Bo Kim",
            "team": "Sales EMEA",
            "manager_user_id": "USR-0001",
            "is_active": "true",
            "updated_at": "2024-01-02T03:04:05Z",
        },
    ],
    "accounts": [
        {
            "account_id": "ACC-000001",
            "account_name": "Acme",
            "industry": "financial_services",
            "country": "DE",
            "owner_user_id": "USR-0001",
            "updated_at": "2024-02-01T00:00:00Z",
        },
    ],
    "leads": [
        {
            "lead_id": "LEA-0000001",
            "full_name": "Julia van Bauer",
            "source": "website",
            "status": "converted",
            "converted_account_id": "ACC-000001",
            "converted_opportunity_id": "OPP-0000001",
            "converted_at": "2024-01-05T10:00:00Z",
        },
        {"lead_id": "LEA-0000002", "full_name": "Cher", "source": "paid", "status": "working"},
    ],
    "opportunities": [
        {
            "opportunity_id": "OPP-0000001",
            "account_id": "ACC-000001",
            "owner_user_id": "USR-0002",
            "campaign_id": "CMP-00005",
            "opportunity_type": "new",
            "amount": "1200.00",
            "stage": "closed_won",
            "probability": "100",
            "is_closed": "true",
            "is_won": "true",
            "close_date": "2024-03-05",
            "created_at": "2024-01-10T09:00:00Z",
            "updated_at": "2024-03-06T10:00:00Z",
        },
    ],
    "opportunity_stage_history": [
        {
            "stage_history_id": "STH-00000001",
            "opportunity_id": "OPP-0000001",
            "stage": "demo",
            "amount": "1000.00",
            "entered_at": "2024-01-10T09:00:00Z",
        },
        {
            "stage_history_id": "STH-00000002",
            "opportunity_id": "OPP-0000001",
            "stage": "closed_won",
            "amount": "1200.00",
            "entered_at": "2024-03-05T16:45:00Z",
        },
    ],
    "activities": [
        {
            "activity_id": "ACT-000000001",
            "activity_type": "call",
            "user_id": "USR-0002",
            "account_id": "ACC-000001",
            "lead_id": "LEA-0000002",
            "occurred_at": "2024-01-11T08:00:00Z",
            "duration_seconds": "95",
        },
        {
            "activity_id": "ACT-000000002",
            "activity_type": "meeting",
            "user_id": "USR-0002",
            "opportunity_id": "OPP-0000001",
            "occurred_at": "2024-01-12T08:00:00Z",
            "duration_seconds": "1800",
        },
        {
            "activity_id": "ACT-000000003",
            "activity_type": "sample",
            "user_id": "USR-0001",
            "occurred_at": "2024-01-13T08:00:00Z",
        },
    ],
    "products": [
        {
            "product_id": "PRD-0011",
            "product_name": "Desk Pro",
            "product_family": "support_desk",
            "list_price": "50.00",
            "updated_at": "2024-01-01T00:00:00Z",
        },
    ],
    "orders": [
        {
            "order_id": "ORD-0000001",
            "account_id": "ACC-000001",
            "opportunity_id": "OPP-0000001",
            "ordered_at": "2024-03-06T12:00:00Z",
            "status": "completed",
            "updated_at": "2024-03-06T13:00:00Z",
        },
    ],
    "order_items": [
        {
            "order_item_id": "ORI-00000001",
            "order_id": "ORD-0000001",
            "product_id": "PRD-0011",
            "quantity": "24",
            "unit_price": "50.00",
            "discount_rate": "0.15",
            "unit_cost": "9.00",
        },
    ],
    "tickets": [
        {
            "ticket_id": "TCK-0000001",
            "account_id": "ACC-000001",
            "assigned_user_id": "USR-0001",
            "subject": "Help, ACC-000001",
        }
    ],
}
ACC = "0015G6000000001QAA"
USR1, USR2 = "0055G4000000001QAA", "0055G4000000002QAA"
OPP = "0065G7000000001QAA"


def read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("sf_writer")
    source, out = work / "contract", work / "salesforce"
    source.mkdir()
    contract = load_contract()
    for entity, rows in WORLD.items():
        with (source / f"{entity}.csv").open("w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=contract[entity].column_names, restval="")
            writer.writeheader()
            writer.writerows(rows)
    write_salesforce_export(source, out)
    return out


def test_ids_are_18_character_salesforce_ids_and_reversible() -> None:
    # '0015G6000000001': chunks '0015G' (G at position 4 -> bit 16 -> 'Q'), '60000' (0 -> 'A'), '00001' ('A').
    assert checksum("0015G6000000001") == "QAA"
    # 'a0B5G': B at 2 and G at 4 -> 4 + 16 = 20 -> 'U'; 'z0000': lower case counts for nothing -> 'A'.
    assert checksum("a0B5Gz000000001") == "UAA"
    assert to_salesforce_id("ACC-000001") == ACC
    assert to_salesforce_id("ACT-000000003", "00U") == "00U5G9000000003UAA"
    assert to_salesforce_id("CMP-00005") == "CMP-00005"  # campaigns stay contract files: ids unchanged
    assert contract_id(ACC) == "ACC-000001"
    assert contract_id("01T5G4000000011QAA") == "PRD-0011"  # upper-cased by staging, still reversible
    assert contract_id(f"opportunity_created:{OPP}") == "opportunity_created:OPP-0000001"
    assert contract_id("Acme 0015G6000000001") == "Acme 0015G6000000001"  # 15 characters: not an id of ours


def test_files_have_exactly_the_declared_columns(export: Path) -> None:
    for table, columns in declared_columns().items():
        with (export / f"{table}.csv").open(newline="") as handle:
            assert next(csv.reader(handle)) == columns, table


def test_opportunity_labels_and_deleted_rows(export: Path) -> None:
    rows = read(export / "opportunity.csv")
    live = [row for row in rows if row["is_deleted"] == "false"]
    assert [row["id"] for row in live] == [OPP]
    (opportunity,) = live
    assert (opportunity["account_id"], opportunity["owner_id"], opportunity["campaign_id"]) == (ACC, USR2, "CMP-00005")
    assert (opportunity["type"], opportunity["stage_name"], opportunity["forecast_category"]) == (
        "New Business",
        "Closed Won",
        "Closed",
    )
    assert (opportunity["created_date"], opportunity["_fivetran_synced"]) == (
        "2024-01-10 09:00:00",
        "2024-03-06 10:00:00",
    )
    deleted = [row for row in rows if row["is_deleted"] == "true"]
    assert len(deleted) == 2 and all(contract_id(row["id"]).startswith("OPP-9") for row in deleted)


def test_history_active_versions_and_superseded_quirk(export: Path) -> None:
    rows = read(export / "opportunity_history.csv")
    ours = [(r["_fivetran_start"], r["_fivetran_active"], r["stage_name"], r["amount"]) for r in rows if r["id"] == OPP]
    # Both world versions active (demo -> the map's first label, Value Proposition); OPP is opportunity 1 of 1,
    # so it gets the superseded version at midnight of its first stage's day.
    assert ours == [
        ("2024-01-10 09:00:00", "true", "Value Proposition", "1000.00"),
        ("2024-03-05 16:45:00", "true", "Closed Won", "1200.00"),
        ("2024-01-10 00:00:00", "false", "Prospecting", "1.00"),
    ]
    # The two deleted opportunities have one (active) version each.
    assert sum(1 for r in rows if r["id"] != OPP) == 2


def test_leads_names_labels_conversion(export: Path) -> None:
    rows = {r["id"]: r for r in read(export / "lead.csv") if r["is_deleted"] == "false"}
    julia = rows[to_salesforce_id("LEA-0000001")]
    assert (julia["first_name"], julia["last_name"], julia["lead_source"], julia["status"]) == (
        "Julia",
        "van Bauer",
        "Web",
        "Closed - Converted",
    )
    assert (julia["is_converted"], julia["converted_opportunity_id"], julia["converted_date"]) == (
        "true",
        OPP,
        "2024-01-05 10:00:00",
    )
    cher = rows[to_salesforce_id("LEA-0000002")]
    assert (cher["first_name"], cher["last_name"], cher["lead_source"], cher["status"], cher["is_converted"]) == (
        "",
        "Cher",
        "Advertisement",
        "Working - Contacted",
        "false",
    )


def test_activities_split_into_tasks_and_events(export: Path) -> None:
    tasks = [r for r in read(export / "task.csv") if r["is_deleted"] == "false"]
    events = [r for r in read(export / "event.csv") if r["is_deleted"] == "false"]
    # The call (95 s) and the sample (no type label: written 'Sample') are tasks; the 30-minute meeting an event.
    assert [(contract_id(r["id"]), r["type"], r["who_id"], r["call_duration_in_seconds"]) for r in tasks] == [
        ("ACT-000000001", "Call", to_salesforce_id("LEA-0000002"), "95"),
        ("ACT-000000003", "Sample", "", ""),
    ]
    assert [(r["id"][:3], r["type"], r["what_id"], r["duration_in_minutes"]) for r in events] == [
        ("00U", "Meeting", OPP, "30")
    ]
    assert sum(r["is_deleted"] == "true" for r in read(export / "task.csv")) == 2


def test_users_roles_products_orders_lines(export: Path) -> None:
    roles = read(export / "user_role.csv")
    assert [(r["name"], r["_fivetran_deleted"]) for r in roles] == [("Sales EMEA", "false"), ("Deleted role", "true")]
    users = {r["id"]: r for r in read(export / "user.csv")}
    assert users[USR2]["manager_id"] == USR1 and users[USR2]["user_role_id"] == roles[0]["id"]
    assert sum(r["_fivetran_deleted"] == "true" for r in users.values()) == 1
    (account,) = [r for r in read(export / "account.csv") if r["is_deleted"] == "false"]
    assert (account["industry"], account["billing_country"]) == ("Finance", "DE")
    (product,) = [r for r in read(export / "product_2.csv") if r["is_deleted"] == "false"]
    assert (product["id"], product["family"]) == ("01t5G4000000011QAA", "Support")
    (order,) = [r for r in read(export / "order.csv") if r["is_deleted"] == "false"]
    assert (order["status"], order["opportunity_id"], order["effective_date"]) == (
        "Activated",
        OPP,
        "2024-03-06 12:00:00",
    )
    (line,) = [r for r in read(export / "opportunity_line_item.csv") if r["is_deleted"] == "false"]
    # discount_rate 0.15 -> 15 percent; list price from the product; the line hangs on the order's opportunity.
    assert (line["opportunity_id"], line["product_2_id"], line["discount"], line["list_price"]) == (
        OPP,
        "01t5G4000000011QAA",
        "15",
        "50.00",
    )


def test_entities_salesforce_lacks_are_contract_files_with_salesforce_ids(export: Path) -> None:
    assert not (export / "accounts.csv").exists() and not (export / "activities.csv").exists()
    (ticket,) = read(export / "tickets.csv")
    # Whole-value ids are rewritten; free text that merely contains an id is not.
    assert (ticket["ticket_id"], ticket["account_id"], ticket["assigned_user_id"], ticket["subject"]) == (
        "TCK-0000001",
        ACC,
        USR1,
        "Help, ACC-000001",
    )
