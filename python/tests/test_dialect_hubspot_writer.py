"""The HubSpot dialect writer (generate --dialect hubspot) on a tiny hand-made contract world.

Expected values worked out by hand from the rows below and the HubSpot id rule: '9', the object's two-digit code
(accounts 11, contacts 12, opportunities 13, users 14, activities 15, tickets 16, engagement events 17), the
contract id's digit count, its number in 9 digits; quirk rows take numbers from 900,000,000 on (digit count 9).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from crm_warehouse import PROJECT_ROOT
from crm_warehouse.contract import load_contract
from crm_warehouse.generate.dialects.hubspot import (
    contract_id,
    declared_columns,
    to_hubspot_id,
    write_hubspot_export,
)

WORLD: dict[str, list[dict[str, str]]] = {
    "users": [
        {
            "user_id": "USR-0001",
            "full_name": "Ann Lee",
            "email": "ann@x.example",
            "team": "Sales NA",
            "hired_at": "2021-04-24",
            "updated_at": "2024-01-02T03:04:05Z",
        },
        {
            "user_id": "USR-0002",
            "full_name": "Bo van Kim",
            "email": "bo@x.example",
            "team": "Sales EMEA",
            "hired_at": "2022-01-01",
            "updated_at": "2024-01-02T03:04:05Z",
        },
    ],
    "accounts": [
        {
            "account_id": "ACC-000001",
            "account_name": "Acme",
            "industry": "financial_services",
            "employee_count": "120",
            "country": "DE",
            "owner_user_id": "USR-0001",
            "created_at": "2023-12-01T08:00:00Z",
            "updated_at": "2024-02-01T00:00:00Z",
        },
        {"account_id": "ACC-000002", "account_name": "Bolt", "industry": "software", "owner_user_id": "USR-0002"},
    ],
    "contacts": [
        {
            "contact_id": "CON-0000001",
            "account_id": "ACC-000001",
            "first_name": "Olga",
            "last_name": "Patel",
            "email": "olga@acme.example",
            "phone": "+1-555-6228",
            "created_at": "2023-12-02T10:33:17Z",
            "updated_at": "2024-01-05T00:00:00Z",
        },
    ],
    "leads": [
        {
            "lead_id": "LEA-0000001",
            "full_name": "Julia Bauer",
            "email": "julia@bolt.example",
            "status": "converted",
            "converted_account_id": "ACC-000002",
            "converted_opportunity_id": "OPP-0000001",
        },
    ],
    "opportunities": [
        {
            "opportunity_id": "OPP-0000001",
            "account_id": "ACC-000002",
            "owner_user_id": "USR-0002",
            "opportunity_type": "renewal",
            "amount": "1200.00",
            "currency": "EUR",
            "stage": "closed_won",
            "close_date": "2024-03-05",
            "created_at": "2024-01-10T09:00:00Z",
            "updated_at": "2024-03-06T10:00:00Z",
        },
        {
            "opportunity_id": "OPP-0000002",
            "account_id": "ACC-000001",
            "owner_user_id": "USR-0001",
            "opportunity_type": "upsell",
            "amount": "800.00",
            "currency": "USD",
            "stage": "demo",
            "next_step": "Send pricing",
            "created_at": "2024-02-01T10:00:00Z",
            "updated_at": "2024-02-02T10:00:00Z",
        },
    ],
    "opportunity_stage_history": [
        {"opportunity_id": "OPP-0000001", "stage": "prospecting", "entered_at": "2024-01-10T09:00:00Z"},
        {"opportunity_id": "OPP-0000001", "stage": "closed_won", "entered_at": "2024-03-05T16:45:00Z"},
        {"opportunity_id": "OPP-0000002", "stage": "demo", "entered_at": "2024-02-01T10:00:00Z"},
    ],
    "activities": [
        {
            "activity_id": "ACT-000000001",
            "activity_type": "call",
            "user_id": "USR-0002",
            "account_id": "ACC-000001",
            "contact_id": "CON-0000001",
            "opportunity_id": "OPP-0000001",
            "occurred_at": "2024-01-11T08:00:00Z",
            "duration_seconds": "95",
        },
        {
            "activity_id": "ACT-000000002",
            "activity_type": "demo",
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
        {
            "activity_id": "ACT-000000004",
            "activity_type": "email",
            "user_id": "USR-0001",
            "lead_id": "LEA-0000001",
            "occurred_at": "2024-01-14T08:00:00Z",
        },
    ],
    "tickets": [
        {
            "ticket_id": "TCK-0000001",
            "account_id": "ACC-000001",
            "assigned_user_id": "USR-0001",
            "channel": "web",
            "priority": "high",
            "category": "how_to",
            "status": "resolved",
            "subject": "Export, ACC-000001",
            "opened_at": "2024-05-01T09:00:00Z",
            "resolved_at": "2024-05-02T09:00:00Z",
        },
        {
            "ticket_id": "TCK-0000002",
            "channel": "chat",
            "priority": "low",
            "category": "outage",
            "status": "pending",
            "opened_at": "2024-05-03T09:00:00Z",
        },
    ],
    "engagement_events": [
        {
            "event_id": "EVT-000000001",
            "event_type": "email_sent",
            "contact_id": "CON-0000001",
            "campaign_id": "CMP-00005",
            "occurred_at": "2024-06-01T12:00:00Z",
        },
        {"event_id": "EVT-000000002", "event_type": "web_visit", "contact_id": "CON-0000001"},
        {
            "event_id": "EVT-000000003",
            "event_type": "email_open",
            "lead_id": "LEA-0000001",
            "occurred_at": "2024-06-02T12:00:00Z",
        },
    ],
    "orders": [
        {
            "order_id": "ORD-0000001",
            "account_id": "ACC-000002",
            "opportunity_id": "OPP-0000001",
            "status": "completed",
            "currency": "EUR",
        }
    ],
}
ACC1, ACC2 = "9116000000001", "9116000000002"
USR1, USR2 = "9144000000001", "9144000000002"
OPP1, OPP2 = "9137000000001", "9137000000002"
CON1 = "9127000000001"


def read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def header(path: Path) -> list[str]:
    with path.open(newline="") as handle:
        return next(csv.reader(handle))


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    work = tmp_path_factory.mktemp("hs_writer")
    source, out = work / "contract", work / "hubspot"
    source.mkdir()
    contract = load_contract()
    for entity, rows in WORLD.items():
        with (source / f"{entity}.csv").open("w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=contract[entity].column_names, restval="")
            writer.writeheader()
            writer.writerows(rows)
    return out, write_hubspot_export(source, out)


@pytest.fixture(scope="module")
def export(written: tuple[Path, dict[str, int]]) -> Path:
    return written[0]


def test_ids_are_numeric_and_reversible() -> None:
    assert to_hubspot_id("ACC-000001") == ACC1  # 9, 11, 6 digits, 000000001
    assert to_hubspot_id("ACT-000000003") == "9159000000003"
    assert to_hubspot_id("LEA-0000001") == "LEA-0000001"  # leads stay a contract file: ids unchanged
    assert contract_id(OPP1) == "OPP-0000001"
    assert contract_id("9139900000011") == "OPP-900000011"  # a quirk deal: digit count 9
    assert contract_id(f"opportunity_created:{OPP1}") == "opportunity_created:OPP-0000001"
    # Part of a longer number or a decimal: not an id of ours.
    assert contract_id(f"1{OPP1}") == f"1{OPP1}" and contract_id(f"{OPP1}.5") == f"{OPP1}.5"
    assert contract_id(None) is None


def test_files_have_exactly_the_declared_columns(export: Path) -> None:
    for table, columns in declared_columns().items():
        assert header(export / f"{table}.csv") == columns, table
    # The two tables the adapter does not read have the shared sample's columns.
    sample = PROJECT_ROOT / "samples" / "hubspot_fivetran"
    for table in ("engagement", "deal_pipeline"):
        assert header(export / f"{table}.csv") == header(sample / f"hs_{table}_data.csv"), table


def test_rows_written_per_file(written: tuple[Path, dict[str, int]]) -> None:
    _, counts = written
    # deal: 2 world + 2 deleted + 2 merged away; deal_stage: 3 world + 1 superseded (OPP1, the 1st of every 10)
    # + 1 per deleted and merged deal; email_event: 2 email events of 3 (the web visit is no email) + PROCESSED
    # and DELIVERED of the 1st send + 2 filtered opens; calls, emails and tasks + 1 deleted each, a note only deleted.
    assert {table: counts[table] for table in ("deal", "deal_stage", "merged_deal", "email_event")} == {
        "deal": 6,
        "deal_stage": 8,
        "merged_deal": 2,
        "email_event": 6,
    }
    assert [counts[f"engagement_{t}"] for t in ("call", "email", "meeting", "note", "task")] == [2, 2, 1, 1, 2]
    assert (counts["engagement"], counts["engagement_deal"], counts["engagement_company"]) == (4, 2, 1)
    # Leads and orders are contract files beside the export; the filled entities are not.
    assert (counts["leads"], counts["orders"]) == (1, 1) and "accounts" not in counts


def test_deals_stages_and_companies(export: Path) -> None:
    deals = {row["deal_id"]: row for row in read(export / "deal.csv")}
    won, demo = deals[OPP1], deals[OPP2]
    assert (won["deal_pipeline_stage_id"], won["owner_id"], won["property_deal_currency_code"]) == (
        "closedwon",
        USR2,
        "EUR",
    )
    assert (won["property_dealtype"], won["property_closedate"], won["property_createdate"]) == (
        "renewal",
        "2024-03-05 00:00:00",
        "2024-01-10 09:00:00",
    )
    assert (demo["deal_pipeline_stage_id"], demo["property_dealtype"], demo["property_hs_next_step"]) == (
        "presentationscheduled",
        "existingbusiness",
        "Send pricing",
    )
    assert sorted(k for k, row in deals.items() if row["is_deleted"] == "true") == ["9139900000001", "9139900000002"]
    assert [(r["deal_id"], r["merged_deal_id"]) for r in read(export / "merged_deal.csv")] == [
        (OPP1, "9139900000011"),
        (OPP2, "9139900000012"),
    ]
    links = [(r["deal_id"], r["company_id"], r["type_id"]) for r in read(export / "deal_company.csv")]
    # OPP1 (deal 0 of 2: every 5th) is also linked, not as primary, to the first company, ACC1 (a lower id than
    # its primary ACC2), and to deleted company 1; the merged-away deals hang on their survivors' companies.
    assert links == [
        (OPP1, ACC2, "5"),
        (OPP1, ACC1, "341"),
        (OPP2, ACC1, "5"),
        (OPP1, "9119900000001", "341"),
        ("9139900000011", ACC2, "5"),
        ("9139900000012", ACC1, "5"),
    ]
    pipeline = read(export / "deal_pipeline_stage.csv")
    stages = [(r["stage_id"], r["label"], r["probability"], r["is_closed"], r["closed_won"]) for r in pipeline]
    assert stages == [
        ("1010101", "Prospecting", "0.1", "false", "false"),
        ("appointmentscheduled", "Appointment Scheduled", "0.2", "false", "false"),
        ("qualifiedtobuy", "Qualified To Buy", "0.2", "false", "false"),
        ("presentationscheduled", "Presentation Scheduled", "0.4", "false", "false"),
        ("decisionmakerboughtin", "Decision Maker Bought-In", "0.6", "false", "false"),
        ("contractsent", "Contract Sent", "0.8", "false", "false"),
        ("closedwon", "Closed Won", "1", "true", "true"),
        ("closedlost", "Closed Lost", "0", "true", "false"),
    ]


def test_stage_history_active_versions_and_superseded_quirk(export: Path) -> None:
    rows = read(export / "deal_stage.csv")
    ours = [(r["value"], r["date_entered"], r["_fivetran_active"]) for r in rows if r["deal_id"] == OPP1]
    assert ours == [
        ("1010101", "2024-01-10 09:00:00", "true"),
        ("closedwon", "2024-03-05 16:45:00", "true"),
        ("qualifiedtobuy", "2024-01-10 00:00:00", "false"),  # superseded, midnight of the first stage's day
    ]
    merged = [(r["value"], r["date_entered"]) for r in rows if r["deal_id"] == "9139900000012"]
    assert merged == [("1010101", "2024-02-01 10:00:00")]  # created with its survivor OPP2


def test_engagements_by_type_with_owners_and_links(export: Path) -> None:
    (call,) = [r for r in read(export / "engagement_call.csv") if r["_fivetran_deleted"] == "false"]
    assert (call["engagement_id"], call["property_hubspot_owner_id"], call["property_hs_call_duration"]) == (
        "9159000000001",
        USR2,
        "95000",
    )
    (meeting,) = read(export / "engagement_meeting.csv")
    # The demo: 30 minutes from 08:00, a meeting of type Demo.
    assert (meeting["start_time"], meeting["end_time"], meeting["property_hs_activity_type"]) == (
        "2024-01-12 08:00:00",
        "2024-01-12 08:30:00",
        "Demo",
    )
    tasks = read(export / "engagement_task.csv")
    assert [(r["engagement_id"], r["property_hs_task_type"], r["_fivetran_deleted"]) for r in tasks] == [
        ("9159000000003", "TODO", "false"),
        ("9159900000004", "TODO", "true"),
    ]
    (email,) = [r for r in read(export / "engagement_email.csv") if r["_fivetran_deleted"] == "false"]
    assert (email["type"], email["property_hubspot_owner_id"]) == ("EMAIL", USR1)
    assert [r["_fivetran_deleted"] for r in read(export / "engagement_note.csv")] == ["true"]
    assert [r["type"] for r in read(export / "engagement.csv")] == ["CALL", "MEETING", "TASK", "EMAIL"]
    # Links: the call to its deal, company and contact, the demo to its deal; the email's lead has no link table.
    deal_links = [(r["engagement_id"], r["deal_id"]) for r in read(export / "engagement_deal.csv")]
    assert deal_links == [("9159000000001", OPP1), ("9159000000002", OPP1)]
    assert [(r["engagement_id"], r["contact_id"]) for r in read(export / "engagement_contact.csv")] == [
        ("9159000000001", CON1)
    ]


def test_owners_teams_companies_contacts(export: Path) -> None:
    owners = {r["owner_id"]: r for r in read(export / "owner.csv")}
    assert (owners[USR2]["first_name"], owners[USR2]["last_name"], owners[USR2]["created_at"]) == (
        "Bo",
        "van Kim",
        "2022-01-01 00:00:00",
    )
    # Teams sorted by name: Sales EMEA 1001, Sales NA 1002; Ann (the first owner with a team) also in EMEA.
    assert [(r["id"], r["name"]) for r in read(export / "team.csv")] == [("1001", "Sales EMEA"), ("1002", "Sales NA")]
    assert [(r["owner_id"], r["team_id"], r["is_team_primary"]) for r in read(export / "owner_team.csv")] == [
        (USR1, "1002", "true"),
        (USR2, "1001", "true"),
        (USR1, "1001", "false"),
    ]
    companies = {r["id"]: r for r in read(export / "company.csv")}
    acme = companies[ACC1]
    assert (acme["property_industry"], acme["property_numberofemployees"], acme["property_hubspot_owner_id"]) == (
        "FINANCIAL_SERVICES",
        "120",
        USR1,
    )
    assert (acme["property_createdate"], acme["_fivetran_synced"]) == ("2023-12-01 08:00:00", "2024-02-01 00:00:00")
    assert sorted(k for k, r in companies.items() if r["is_deleted"] == "true") == ["9119900000001", "9119900000002"]
    contacts = {r["id"]: r for r in read(export / "contact.csv")}
    olga = contacts[CON1]
    assert (olga["property_associatedcompanyid"], olga["property_phone"], olga["_fivetran_deleted"]) == (
        ACC1,
        "+1-555-6228",
        "false",
    )
    assert [r["_fivetran_deleted"] for k, r in contacts.items() if k != CON1] == ["true"]


def test_tickets_stages_categories_channels(export: Path) -> None:
    tickets = {r["id"]: r for r in read(export / "ticket.csv")}
    resolved, pending = tickets["9167000000001"], tickets["9167000000002"]
    assert (
        resolved["property_hs_pipeline_stage"],
        resolved["property_hs_ticket_category"],
        resolved["property_hs_ticket_priority"],
        resolved["property_source_type"],
        resolved["property_hubspot_owner_id"],
        resolved["property_closed_date"],
    ) == ("5", "GENERAL_INQUIRY", "HIGH", "FORM", USR1, "2024-05-02 09:00:00")
    assert (pending["property_hs_pipeline_stage"], pending["property_hs_ticket_category"]) == ("2", "OUTAGE")
    assert pending["property_source_type"] == "CHAT"
    assert sum(r["is_deleted"] == "true" for r in tickets.values()) == 1
    assert [(r["ticket_id"], r["company_id"]) for r in read(export / "ticket_company.csv")] == [("9167000000001", ACC1)]
    stages = {
        r["stage_id"]: (r["label"], r["is_closed"], r["ticket_state"])
        for r in read(export / "ticket_pipeline_stage.csv")
    }
    assert stages["5"] == ("Resolved", "true", "CLOSED") and stages["2"] == ("Waiting on contact", "false", "OPEN")


def test_email_events_recipients_and_quirks(export: Path) -> None:
    events = read(export / "email_event.csv")
    rows = [(r["id"], r["type"], r["filtered_event"], r["recipient"], r["created"]) for r in events]
    assert rows == [
        ("9179000000001", "SENT", "false", "olga@acme.example", "2024-06-01 12:00:00"),
        ("9179900000002", "PROCESSED", "false", "olga@acme.example", "2024-06-01 12:00:01"),
        ("9179900000003", "DELIVERED", "false", "olga@acme.example", "2024-06-01 12:00:01"),
        ("9179000000003", "OPEN", "false", "julia@bolt.example", "2024-06-02 12:00:00"),  # the lead's email
        ("9179900000000", "OPEN", "true", "", "2024-01-01 00:00:00"),
        ("9179900000001", "OPEN", "true", "", "2024-01-01 00:00:00"),
    ]
    assert events[0]["email_campaign_id"] == "CMP-00005"


def test_entities_hubspot_lacks_are_contract_files_with_hubspot_ids(export: Path) -> None:
    assert not (export / "accounts.csv").exists() and not (export / "tickets.csv").exists()
    (lead,) = read(export / "leads.csv")
    assert (lead["lead_id"], lead["converted_account_id"], lead["converted_opportunity_id"]) == (
        "LEA-0000001",
        ACC2,
        OPP1,
    )
    (order,) = read(export / "orders.csv")
    assert (order["order_id"], order["account_id"], order["opportunity_id"]) == ("ORD-0000001", ACC2, OPP1)
