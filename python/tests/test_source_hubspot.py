"""The HubSpot adapter (issue 11) on the shared Fivetran sample: hand-counted values from the CSVs.

The sample lives in CRM_SAMPLES_DIR (default <repo>/samples)/hubspot_fivetran. One dbt build of the
HubSpot adapter's nodes per module: only the adapter's models (CRM_SOURCE=hubspot enables them), not the whole
warehouse through the build driver, which would stop at the sample's quarantine gate (see the README).
"""

from __future__ import annotations

import csv
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from dbt_helpers import assert_ok, run_dbt
from pii_scan import stored_raw_values

from crm_warehouse import PROJECT_ROOT

SAMPLES = Path(os.environ.get("CRM_SAMPLES_DIR", str(PROJECT_ROOT / "samples")))
HUBSPOT = SAMPLES / "hubspot_fivetran"

# The sample has no deleted company or contact and no multi-company deal: the fixture builds a copy of it with
# these edits, so exclusion and the primary-company pick are exercised (every other table is the sample as is).
DELETED_COMPANY = "2539352677"  # hs_company_data.csv row 3, is_deleted false -> true in the copy
DELETED_CONTACT = "76340251"  # hs_contact_data.csv row 2, _fivetran_deleted FALSE -> TRUE in the copy
EXTRA_DEAL_COMPANY_LINKS = [
    # company_id, deal_id, type_id (5 = primary association), category
    # deal 1244495215: two unlabeled links -> the lowest company id, 858780924 (text order would pick 2182162682)
    ("2182162682", "1244495215", "341"),
    ("858780924", "1244495215", "341"),
    # deal 1075671446: the primary association (type 5) wins over the lower id 2182162682
    ("2182162682", "1075671446", "341"),
    ("2319384765", "1075671446", "5"),
    # deal 1077598754: its only company is deleted -> no account
    (DELETED_COMPANY, "1077598754", "341"),
]
DELETED_NOTE = "19732728857"  # hs_engagement_note_data.csv, the only note, _fivetran_deleted false -> true
# The email engagement 19732367783 linked to deal 1075671446 (engagement_deal), so it takes that deal's company.
# Ticket 350123456 linked to two companies (ticket_company): the lowest id as text, 2319384765.
EXTRA_TICKET_COMPANY_LINKS = [
    "2020-07-09 11:06:21.056,350123456,858780924,HUBSPOT_DEFINED",
    "2020-07-09 11:06:21.056,350123456,2319384765,HUBSPOT_DEFINED",
]
EXTRA_ENGAGEMENT_DEAL = "1075671446,19732367783,EMAIL,210,2023-06-08 23:22:50.768000,HUBSPOT_DEFINED"


def _edited_export(target: Path) -> Path:
    """A copy of the sample with one company and one contact deleted and the extra deal_company links."""
    shutil.copytree(HUBSPOT, target)
    company = target / "hs_company_data.csv"
    text = company.read_text()
    assert f"\n{DELETED_COMPANY},false," in text
    company.write_text(text.replace(f"\n{DELETED_COMPANY},false,", f"\n{DELETED_COMPANY},true,"))
    contact = target / "hs_contact_data.csv"
    text = contact.read_text()
    row_start = f"\nFALSE,2021-03-22 11:16:06,6528bb7211b1dc066fc5c292561150c2,{DELETED_CONTACT},"
    assert text.count(row_start) == 1
    contact.write_text(text.replace(row_start, "\nTRUE" + row_start.removeprefix("\nFALSE")))
    links = target / "hs_deal_company_data.csv"
    text = links.read_text().rstrip("\n")  # the sample file lacks a final newline
    extra = "".join(
        f"\n{company},{deal},{type_id},HUBSPOT_DEFINED" for company, deal, type_id in EXTRA_DEAL_COMPANY_LINKS
    )
    links.write_text(text + extra + "\n")
    note = target / "hs_engagement_note_data.csv"
    text = note.read_text()
    assert text.count(f"\n{DELETED_NOTE},false,") == 1
    note.write_text(text.replace(f"\n{DELETED_NOTE},false,", f"\n{DELETED_NOTE},true,"))
    engagement_deal = target / "hs_engagement_deal_data.csv"
    engagement_deal.write_text(engagement_deal.read_text().rstrip("\n") + "\n" + EXTRA_ENGAGEMENT_DEAL + "\n")
    ticket_company = target / "hs_ticket_company_data.csv"
    text = ticket_company.read_text().rstrip("\n")
    ticket_company.write_text(text + "".join(f"\n{line}" for line in EXTRA_TICKET_COMPANY_LINKS) + "\n")
    return target


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    if not (HUBSPOT / "hs_deal_data.csv").is_file():
        pytest.fail(f"HubSpot sample not found in {HUBSPOT}: set CRM_SAMPLES_DIR")
    work = tmp_path_factory.mktemp("hubspot")
    result = run_dbt(
        work,
        _edited_export(work / "export"),
        "build",
        "--select",
        "path:models/staging/hubspot",
        "path:models/intermediate/hubspot",
        "path:seeds/hubspot",
        "base_crm__leads",  # email events match a lead of a leads contract file (the sample has none: empty)
        env_overrides={"CRM_SOURCE": "hubspot", "CRM_SOURCE_FILE_PATTERN": "hs_{table}_data"},
    )
    assert_ok(result)
    connection = duckdb.connect(str(work / "crm.duckdb"), read_only=True)
    yield connection
    connection.close()


def test_deal_count_and_no_deleted_or_merged(warehouse: duckdb.DuckDBPyConnection) -> None:
    # hs_deal_data.csv: 45 lines = header + 44 deals, every is_deleted 'false'; none of the 14 merged_deal_id of
    # hs_merged_deal_data.csv is a deal_id of the deal file, so 44 - 0 deleted - 0 merged = 44 opportunities.
    count = warehouse.sql("select count(*) from main_intermediate.int_opportunities_from_hubspot").fetchone()
    assert count == (44,)


def test_won_amount_is_none(warehouse: duckdb.DuckDBPyConnection) -> None:
    # Every deal of the sample has an empty deal_pipeline_stage_id and property_amount: no deal is won,
    # so the won amount is nothing (0 won deals).
    won = warehouse.sql(
        "select count(*), sum(cast(amount as double)) from main_intermediate.int_opportunities_from_hubspot"
        " where is_won = 'true'"
    ).fetchone()
    assert won == (0, None)


def test_deals_per_owner(warehouse: duckdb.DuckDBPyConnection) -> None:
    # owner_id column of hs_deal_data.csv: 35252170 x 19, 40706000 x 2, 37790786 x 1, empty x 22 (19+2+1+22 = 44).
    rows = warehouse.sql(
        "select owner_user_id, count(*) from main_intermediate.int_opportunities_from_hubspot"
        " group by 1 order by 2 desc, 1"
    ).fetchall()
    assert rows == [(None, 22), ("35252170", 19), ("40706000", 2), ("37790786", 1)]


def test_stage_transitions_of_one_deal(warehouse: duckdb.DuckDBPyConnection) -> None:
    # hs_deal_stage_data.csv: deal 3954780486 has one row, entered 2021-01-07 8:00:46, _fivetran_active TRUE.
    rows = warehouse.sql(
        "select entered_at from main_intermediate.int_opportunity_stage_history_from_hubspot"
        " where opportunity_id = '3954780486'"
    ).fetchall()
    assert rows == [("2021-01-07T08:00:46Z",)]


def test_owner_primary_team(warehouse: duckdb.DuckDBPyConnection) -> None:
    # hs_owner_team_data.csv: 35252170 -> 6789 (primary), 40706000 -> 1234 (primary) and 9999 (not primary);
    # hs_team_data.csv: 6789 team_01, 1234 team_02. No fan-out: 100 owners, 100 users.
    teams = warehouse.sql(
        "select user_id, team from main_intermediate.int_users_from_hubspot where team is not null order by 1"
    ).fetchall()
    assert teams == [("35252170", "team_01"), ("40706000", "team_02")]
    assert warehouse.sql("select count(*) from main_intermediate.int_users_from_hubspot").fetchone() == (100,)


def test_row_accounting_balances(warehouse: duckdb.DuckDBPyConnection) -> None:
    # company: 24 rows (25 lines, no final newline), 1 deleted in the copy -> 23; contact: 22 rows, 1 deleted -> 21.
    # deal 44 read, 0 excluded; deal_company: 2 sample links (deals 6789 and 1234, not in hs_deal_data.csv) + 5
    # added = 7 read; excluded 1 (company deleted) + 2 (deal not in the export) + 2 (not primary) = 5; mapped 2.
    # deal_stage 14 read (all _fivetran_active TRUE, none of a deleted/merged deal); owner 100 (101 lines).
    # engagement_*: call 1, email 1, meeting 100, note 1 (deleted in the copy), task 2 rows; ticket 25, none deleted.
    # email_event: 100 rows, types OPEN 90, SENT 4, DELIVERED 3, PROCESSED 3 (the 6 delivery events left out,
    # a delivery event first: the 3 PROCESSED are also filtered_event true, and no kept type is filtered).
    rows = warehouse.sql(
        "select source_table, entity, rows_read, rows_excluded, exclusion_reason, rows_mapped"
        " from main_intermediate.int_hubspot_rows_accounted order by 1"
    ).fetchall()
    assert rows == [
        ("company", "accounts", 24, 1, "is_deleted", 23),
        ("contact", "contacts", 22, 1, "_fivetran_deleted", 21),
        ("deal", "opportunities", 44, 0, None, 44),
        (
            "deal_company",
            "opportunities",
            7,
            5,
            "company deleted, deal not in the export, deleted or merged, not the primary company of its deal",
            2,
        ),
        ("deal_stage", "opportunity_stage_history", 14, 0, None, 14),
        ("email_event", "engagement_events", 100, 6, "delivery event, not an engagement", 94),
        ("engagement_call", "activities", 1, 0, None, 1),
        ("engagement_email", "activities", 1, 0, None, 1),
        ("engagement_meeting", "activities", 100, 0, None, 100),
        ("engagement_note", "activities", 1, 1, "_fivetran_deleted", 0),
        ("engagement_task", "activities", 2, 0, None, 2),
        ("owner", "users", 100, 0, None, 100),
        ("ticket", "tickets", 25, 0, None, 25),
    ]
    assert all(read == excluded + mapped for _, _, read, excluded, _, mapped in rows)


def test_companies_kept_and_deleted_excluded(warehouse: duckdb.DuckDBPyConnection) -> None:
    # 24 companies, the one deleted in the copy (2539352677) left out: 23 accounts, every one with a name.
    # Company 2182162682: property_createdate 2019-07-05 20:35:26, country United States, revenue 10000000.
    count, deleted, unnamed = (
        warehouse.sql(
            "select count(*), count(*) filter (where account_id = '2539352677'), count(*) filter (where account_name"
            " is null) from main_intermediate.int_accounts_from_hubspot"
        ).fetchone()
        or ()
    )
    assert (count, deleted, unnamed) == (23, 0, 0)
    row = warehouse.sql(
        "select created_at, country, annual_revenue from main_intermediate.int_accounts_from_hubspot"
        " where account_id = '2182162682'"
    ).fetchall()
    assert row == [("2019-07-05T20:35:26Z", "United States", "10000000")]


def test_contacts_kept_and_deleted_excluded(warehouse: duckdb.DuckDBPyConnection) -> None:
    # 22 contacts, 76340251 deleted in the copy: 21 contacts. Contact 78971951: created 2021-04-01 17:32:47.
    count, deleted = (
        warehouse.sql(
            "select count(*), count(*) filter (where contact_id = '76340251')"
            " from main_intermediate.int_contacts_from_hubspot"
        ).fetchone()
        or ()
    )
    assert (count, deleted) == (21, 0)
    row = warehouse.sql(
        "select created_at from main_intermediate.int_contacts_from_hubspot where contact_id = '78971951'"
    ).fetchall()
    assert row == [("2021-04-01T17:32:47Z",)]


def test_primary_company_of_multi_company_deals(warehouse: duckdb.DuckDBPyConnection) -> None:
    # EXTRA_DEAL_COMPANY_LINKS: 1244495215 -> 858780924 (lowest id, numeric), 1075671446 -> 2319384765 (type 5),
    # 1077598754 -> none (its only company deleted). No fan-out: still 44 opportunities, 2 with an account.
    rows = warehouse.sql(
        "select opportunity_id, account_id from main_intermediate.int_opportunities_from_hubspot"
        " where opportunity_id in ('1244495215', '1075671446', '1077598754') order by 1"
    ).fetchall()
    assert rows == [("1075671446", "2319384765"), ("1077598754", None), ("1244495215", "858780924")]
    counts = warehouse.sql(
        "select count(*), count(account_id) from main_intermediate.int_opportunities_from_hubspot"
    ).fetchone()
    assert counts == (44, 2)


def test_activities_per_type_and_owner(warehouse: duckdb.DuckDBPyConnection) -> None:
    # One activity per engagement row: call 1, email 1 (type EMAIL), meeting 100, note 0 (its one row deleted in
    # the copy), task 2 (task types TODO, unmapped -> todo). Owners: both tasks have property_hubspot_owner_id
    # 32779820; the email's is empty, calls and meetings have no owner column -> 102 null.
    types = warehouse.sql(
        "select activity_type, count(*) from main_intermediate.int_activities_from_hubspot group by 1 order by 1"
    ).fetchall()
    assert types == [("call", 1), ("email", 1), ("meeting", 100), ("todo", 2)]
    owners = warehouse.sql(
        "select user_id, count(*) from main_intermediate.int_activities_from_hubspot group by 1 order by 1"
    ).fetchall()
    assert owners == [("32779820", 2), (None, 102)]


def test_activity_links_and_meeting_duration(warehouse: duckdb.DuckDBPyConnection) -> None:
    # hs_engagement_contact_data.csv: call 19732910159 -> contact 501. The copy's engagement_deal row: email
    # 19732367783 -> deal 1075671446, no company link -> the deal's primary company 2319384765.
    # Meeting 3416212491: start 2019-09-26 13:00:00, end 14:30:00 -> 5400 s.
    rows = warehouse.sql(
        "select activity_id, contact_id, opportunity_id, account_id, occurred_at, duration_seconds"
        " from main_intermediate.int_activities_from_hubspot"
        " where activity_id in ('19732910159', '19732367783', '3416212491') order by 1"
    ).fetchall()
    assert rows == [
        ("19732367783", None, "1075671446", "2319384765", "2014-08-27T20:50:44Z", None),
        ("19732910159", "501", None, None, "2014-08-27T20:50:44Z", None),
        ("3416212491", None, None, None, "2019-09-26T13:00:00Z", "5400"),
    ]


def test_tickets_status_and_account(warehouse: duckdb.DuckDBPyConnection) -> None:
    # hs_ticket_data.csv: 25 tickets, is_deleted FALSE. Only ticket 350123456 has a stage that
    # hs_ticket_pipeline_stage_data.csv knows (pipeline 3136178a, stage 14863823a, OPEN, not closed) -> open;
    # the other 24 stages are unknown -> status null. Its owner 90700234, created 2021-02-25 08:15:00; the copy's
    # two ticket_company links -> 2319384765 (lowest as text). The sample's links (tickets 1-9) match no ticket.
    statuses = warehouse.sql(
        "select status, count(*) from main_intermediate.int_tickets_from_hubspot group by 1 order by 1"
    ).fetchall()
    assert statuses == [("open", 1), (None, 24)]
    row = warehouse.sql(
        "select account_id, assigned_user_id, opened_at, count(*) over ()"
        " from main_intermediate.int_tickets_from_hubspot where account_id is not null"
    ).fetchall()
    assert row == [("2319384765", "90700234", "2021-02-25T08:15:00Z", 1)]


def test_engagement_events_per_type(warehouse: duckdb.DuckDBPyConnection) -> None:
    # hs_email_event_data.csv: OPEN 90, SENT 4 kept (DELIVERED 3, PROCESSED 3 left out; only PROCESSED filtered).
    # No recipient is the email of a contact of hs_contact_data.csv (both hashed differently): contact_id null.
    rows = warehouse.sql(
        "select event_type, count(*), count(contact_id)"
        " from main_intermediate.int_engagement_events_from_hubspot group by 1 order by 1"
    ).fetchall()
    assert rows == [("email_open", 90, 0), ("email_sent", 4, 0)]


def test_no_stored_table_keeps_a_raw_contact_name_or_email(warehouse: duckdb.DuckDBPyConnection) -> None:
    """The adapter's contract-shaped PII models are views over the export: only the door's hashes are stored."""
    with (HUBSPOT / "hs_contact_data.csv").open(encoding="utf-8", newline="") as handle:
        contacts = list(csv.DictReader(handle))
    fields = ("property_email", "property_firstname", "property_lastname")
    values = {row[f].strip().lower() for row in contacts for f in fields if row.get(f, "").strip()}
    assert len(values) >= 10
    assert stored_raw_values(warehouse, values) == []
