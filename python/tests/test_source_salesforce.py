"""The Salesforce adapter (issue 11) on the Fivetran sample: hand-counted values from the CSVs.

The sample lives in CRM_SAMPLES_DIR (default <repo>/samples)/salesforce_fivetran (sf_<table>_data.csv). One dbt
build per module of the adapter's nodes (staging, mapping, picklist seed) and the source row accounting they feed;
the whole warehouse is not built here. Note: every one of the sample's 10 opportunities is is_deleted = true, so
the opportunity and stage-history checks are about what is excluded and counted.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
import yaml
from dbt_helpers import assert_ok, run_dbt
from pii_scan import stored_raw_values

from crm_warehouse import PROJECT_ROOT
from crm_warehouse.contract import load_contract
from crm_warehouse.generate.dialects.salesforce import FILLED_ENTITIES

SAMPLES = Path(os.environ.get("CRM_SAMPLES_DIR", str(PROJECT_ROOT / "samples")))
SALESFORCE = SAMPLES / "salesforce_fivetran"
PICKLIST_MAP = PROJECT_ROOT / "seeds" / "salesforce" / "salesforce_picklist_map.csv"
MAPPED = "main_intermediate"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    if not (SALESFORCE / "sf_opportunity_data.csv").is_file():
        pytest.fail(f"Salesforce sample not found in {SALESFORCE}: set CRM_SAMPLES_DIR")
    work = tmp_path_factory.mktemp("salesforce")
    result = run_dbt(
        work,
        SALESFORCE,
        "build",
        "--select",
        "path:models/staging/salesforce",
        "path:models/intermediate/salesforce",
        "path:seeds/salesforce",
        "data_quality__source_row_accounting",
        env_overrides={"CRM_SOURCE": "salesforce", "CRM_SOURCE_FILE_PATTERN": "sf_{table}_data"},
    )
    assert_ok(result)
    connection = duckdb.connect(str(work / "crm.duckdb"), read_only=True)
    yield connection
    connection.close()


def test_mapped_models_have_exactly_the_contract_columns(warehouse: duckdb.DuckDBPyConnection) -> None:
    contract = load_contract()
    for entity in FILLED_ENTITIES:
        described = warehouse.sql(f"describe {MAPPED}.int_{entity}_from_salesforce").fetchall()
        assert [row[0] for row in described] == contract[entity].column_names, entity
        assert {row[1] for row in described} == {"VARCHAR"}, entity


def test_all_opportunities_deleted_and_counted(warehouse: duckdb.DuckDBPyConnection) -> None:
    # sf_opportunity_data.csv: 10 rows, is_deleted 'true' on every one -> 0 kept, 10 excluded.
    assert warehouse.sql(f"select count(*) from {MAPPED}.int_opportunities_from_salesforce").fetchone() == (0,)
    row = warehouse.sql(
        f"select rows_read, rows_excluded, exclusion_reason, rows_mapped from {MAPPED}.int_salesforce_rows_accounted"
        " where source_table = 'opportunity'"
    ).fetchone()
    assert row == (10, 10, "is_deleted: 10", 0)


def test_stage_history_of_one_opportunity(warehouse: duckdb.DuckDBPyConnection) -> None:
    # sf_opportunity_history_data.csv: 10 versions, one per opportunity; 006q000000HcZXXAA3 and 006q000000HdOhuAAF
    # are _fivetran_active false (2), the other 8 are active but is_deleted true. 006q000000HddohAAB has one
    # version (active, deleted): it has no stage transitions left, and none of the 10 versions is kept.
    rows = warehouse.sql(
        f"select * from {MAPPED}.int_opportunity_stage_history_from_salesforce"
        " where opportunity_id = '006q000000HddohAAB'"
    ).fetchall()
    assert rows == []
    row = warehouse.sql(
        f"select rows_read, rows_excluded, exclusion_reason, rows_mapped from {MAPPED}.int_salesforce_rows_accounted"
        " where source_table = 'opportunity_history'"
    ).fetchone()
    assert row == (10, 10, "_fivetran_active = false: 2, is_deleted: 8", 0)


def test_activities_per_owner(warehouse: duckdb.DuckDBPyConnection) -> None:
    # sf_task_data.csv: 10 tasks, none deleted, every owner_id 0051G000005Mun4QAC. sf_event_data.csv: 10 events,
    # none deleted: owner 0051G000007F94iQAC x 5, 0051G000007F8lCQAS x 3, 0051G000007EpSPQA0 x 1,
    # 0051G000007Ez4XQAS x 1 (5 + 3 + 1 + 1 = 10).
    rows = warehouse.sql(
        f"select user_id, count(*) from {MAPPED}.int_activities_from_salesforce group by 1 order by 2 desc, 1"
    ).fetchall()
    assert rows == [
        ("0051G000005Mun4QAC", 10),
        ("0051G000007F94iQAC", 5),
        ("0051G000007F8lCQAS", 3),
        ("0051G000007EpSPQA0", 1),
        ("0051G000007Ez4XQAS", 1),
    ]


def test_activity_types_through_the_picklist_map(warehouse: duckdb.DuckDBPyConnection) -> None:
    # Events: type Call x 6 -> call, Meeting x 4 -> meeting. Tasks: type 'X' x 7 (not in the map: passes on as
    # 'x' for the door to flag), empty type x 3 with subtype 'Task' (not in the map either) -> 'task'.
    rows = warehouse.sql(
        f"select activity_type, count(*) from {MAPPED}.int_activities_from_salesforce group by 1 order by 1"
    ).fetchall()
    assert rows == [("call", 6), ("meeting", 4), ("task", 3), ("x", 7)]


def test_deleted_users_and_accounts_excluded(warehouse: duckdb.DuckDBPyConnection) -> None:
    # sf_user_data.csv: 10 users, _fivetran_deleted true on the last 5 -> 5 users. None of their user_role_id
    # values is an id of sf_user_role_data.csv, so no team. sf_account_data.csv: 10 accounts, 9 is_deleted true;
    # the one kept is 0015500000Xyy06AAB "Eric's Test".
    users = warehouse.sql(
        f"select count(*), count(team) from {MAPPED}.int_users_from_salesforce where role = 'sales_rep'"
    ).fetchone()
    assert users == (5, 0)
    accounts = warehouse.sql(f"select account_id, account_name from {MAPPED}.int_accounts_from_salesforce").fetchall()
    assert accounts == [("0015500000Xyy06AAB", "Eric's Test")]


def test_converted_lead(warehouse: duckdb.DuckDBPyConnection) -> None:
    # sf_lead_data.csv: one lead, status 'Converted', is_converted TRUE, converted_account_id 0011G00000tLWKnQAO.
    row = warehouse.sql(
        f"select lead_id, full_name, status, converted_account_id from {MAPPED}.int_leads_from_salesforce"
    ).fetchall()
    assert row == [("00Q1G00000nDnM5UAK", "H Croc", "converted", "0011G00000tLWKnQAO")]


def test_row_accounting_balances(warehouse: duckdb.DuckDBPyConnection) -> None:
    # Rows per file (csv rows, not lines: some files end without a newline); deleted as counted by hand:
    # account 10 (9 is_deleted), contact 4, lead 1, opportunity 10 (10), task 10, event 10, user 10
    # (5 _fivetran_deleted), user_role 10, product_2 2, order 10, opportunity_line_item 10, opportunity_history 10.
    rows = warehouse.sql(
        "select source_table, rows_read, rows_excluded, rows_mapped"
        f" from {MAPPED}.data_quality__source_row_accounting order by 1"
    ).fetchall()
    assert rows == [
        ("account", 10, 9, 1),
        ("contact", 4, 0, 4),
        ("event", 10, 0, 10),
        ("lead", 1, 0, 1),
        ("opportunity", 10, 10, 0),
        ("opportunity_history", 10, 10, 0),
        ("opportunity_line_item", 10, 0, 10),
        ("order", 10, 0, 10),
        ("product_2", 2, 0, 2),
        ("task", 10, 0, 10),
        ("user", 10, 5, 5),
        ("user_role", 10, 0, 10),
    ]
    assert all(read == excluded + mapped for _, read, excluded, mapped in rows)


def test_picklist_map_values_are_contract_values() -> None:
    # Each field of seeds/salesforce/salesforce_picklist_map.csv maps onto one enum column of the contract; every
    # contract_value must be one of that column's meta.values (a typo would reach the door as unknown_enum).
    contract = load_contract()
    targets = {
        "stage_name": ("opportunities", "stage"),
        "forecast_category": ("opportunities", "stage"),
        "opportunity_type": ("opportunities", "opportunity_type"),
        "lead_source": ("leads", "source"),
        "lead_status": ("leads", "status"),
        "task_type": ("activities", "activity_type"),
        "task_subtype": ("activities", "activity_type"),
        "event_type": ("activities", "activity_type"),
        "industry": ("accounts", "industry"),
        "product_family": ("products", "product_family"),
        "order_status": ("orders", "status"),
    }
    with PICKLIST_MAP.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    for row in rows:
        entity, column = targets[row["field"]]
        assert row["contract_value"] in contract[entity].column(column).values, row


# A hand-made export (the sample's opportunities are all deleted): one live opportunity with three history versions,
# two of them superseded, and the lead converted into it. Only the columns the sources YAML reads.
FIXTURE: dict[str, list[dict[str, str]]] = {
    "opportunity": [
        {
            "id": "006A",
            "account_id": "001A",
            "owner_id": "005A",
            "type": "New Business",
            "stage_name": "Closed Won",
            "amount": "1200",
            "probability": "100",
            "close_date": "2024-03-05 00:00:00",
            "created_date": "2024-01-10 09:00:00",
            "is_closed": "true",
            "is_won": "true",
            "is_deleted": "false",
            "forecast_category": "Closed",
            "_fivetran_synced": "2024-03-06 10:00:00",
        },
        {"id": "006B", "owner_id": "005A", "stage_name": "Prospecting", "is_deleted": "true"},
    ],
    "opportunity_history": [
        {
            "id": "006A",
            "_fivetran_start": "2024-01-10 09:00:00",
            "_fivetran_active": "false",
            "stage_name": "Prospecting",
            "amount": "1000",
            "is_deleted": "false",
        },
        {
            "id": "006A",
            "_fivetran_start": "2024-02-01 12:30:00",
            "_fivetran_active": "false",
            "stage_name": "Proposal/Price Quote",
            "amount": "1100",
            "is_deleted": "false",
        },
        {
            "id": "006A",
            "_fivetran_start": "2024-03-05 16:45:00",
            "_fivetran_active": "true",
            "stage_name": "Closed Won",
            "amount": "1200",
            "is_deleted": "false",
        },
        {
            "id": "006B",
            "_fivetran_start": "2024-01-11 08:00:00",
            "_fivetran_active": "true",
            "stage_name": "Prospecting",
            "is_deleted": "false",
        },
    ],
    "lead": [
        {
            "id": "00QA",
            "first_name": "Lee",
            "last_name": "Park",
            "email": "lee.park@example.com",
            "status": "Closed - Converted",
            "is_converted": "true",
            "converted_opportunity_id": "006A",
            "is_deleted": "false",
        }
    ],
    "account": [{"id": "001A", "name": "Acme", "is_deleted": "false"}],
    "user": [{"id": "005A", "name": "Ann Lee", "email": "ann.lee@example.com", "_fivetran_deleted": "false"}],
    # Salesforce's product has no tier, list price or unit cost: the contract file below replaces it.
    "product_2": [{"id": "01tA", "name": "Widget", "family": "Analytics", "is_deleted": "false"}],
}
# A contract products.csv beside the export (the README's way to add what Salesforce lacks): read instead of the
# adapter's product_2 mapping, and checked by the door like any contract file.
CONTRACT_PRODUCTS_CSV = (
    "product_id,product_name,product_family,tier,list_price,unit_cost,is_subscription,updated_at\n"
    "01tA,Widget,analytics,pro,250.00,90.50,false,2024-01-01 00:00:00\n"
)


@pytest.fixture(scope="module")
def fixture_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    work = tmp_path_factory.mktemp("salesforce_fixture")
    raw = work / "raw"
    raw.mkdir()
    document = yaml.safe_load((PROJECT_ROOT / "models/staging/salesforce/_salesforce__sources.yml").read_text())
    declared = {t["name"]: [c["name"] for c in t["columns"]] for t in document["sources"][0]["tables"]}
    for table, rows in FIXTURE.items():
        with (raw / f"{table}.csv").open("w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=declared[table], restval="")
            writer.writeheader()
            writer.writerows(rows)
    (raw / "products.csv").write_text(CONTRACT_PRODUCTS_CSV)
    result = run_dbt(
        work,
        raw,
        "build",
        "--select",
        "+int_opportunities_from_salesforce",
        "+int_opportunity_stage_history_from_salesforce",
        "+int_salesforce_rows_accounted",
        "+int_products_validated",
        "+int_users_validated",
        "+int_leads_validated",
        # only tests whose every model is built (the fct_ tables that reference products are not)
        "--indirect-selection",
        "cautious",
        env_overrides={"CRM_SOURCE": "salesforce", "CRM_SOURCE_FILE_PATTERN": None},
    )
    assert_ok(result)
    connection = duckdb.connect(str(work / "crm.duckdb"), read_only=True)
    yield connection
    connection.close()


def test_fixture_opportunity_mapped(fixture_warehouse: duckdb.DuckDBPyConnection) -> None:
    # 006A: is_won true -> closed_won; type New Business -> new (picklist map); lead 00QA converted into it;
    # close date 2024-03-05; updated_at = _fivetran_synced. 006B is deleted -> left out.
    rows = fixture_warehouse.sql(
        "select opportunity_id, opportunity_type, stage, lead_id, amount, currency, is_won, close_date, updated_at"
        f" from {MAPPED}.int_opportunities_from_salesforce"
    ).fetchall()
    assert rows == [("006A", "new", "closed_won", "00QA", "1200", "USD", "true", "2024-03-05", "2024-03-06T10:00:00Z")]


def test_fixture_stage_history(fixture_warehouse: duckdb.DuckDBPyConnection) -> None:
    # 006A's versions: Prospecting and Proposal/Price Quote are _fivetran_active false (left out), Closed Won
    # (active) is kept -> closed_won entered 2024-03-05 16:45:00. 006B's active version belongs to a deleted
    # opportunity -> left out. History accounting: 4 read, 2 superseded + 1 deleted = 3 left out, 1 mapped.
    rows = fixture_warehouse.sql(
        f"select opportunity_id, stage, amount, entered_at from {MAPPED}.int_opportunity_stage_history_from_salesforce"
    ).fetchall()
    assert rows == [("006A", "closed_won", "1200", "2024-03-05T16:45:00Z")]
    accounted = fixture_warehouse.sql(
        f"select rows_read, rows_excluded, exclusion_reason, rows_mapped from {MAPPED}.int_salesforce_rows_accounted"
        " where source_table = 'opportunity_history'"
    ).fetchone()
    assert accounted == (4, 3, "_fivetran_active = false: 2, is_deleted: 1", 1)


def test_a_contract_file_beside_the_export_replaces_the_mapping(fixture_warehouse: duckdb.DuckDBPyConnection) -> None:
    # products.csv's one row, not product_2's (which has no tier or prices and would be quarantined).
    rows = fixture_warehouse.sql(
        "select product_id, product_name, product_family, tier, list_price, unit_cost"
        " from main_intermediate.int_products_validated"
    ).fetchall()
    assert rows == [("01TA", "Widget", "analytics", "pro", Decimal("250.00"), Decimal("90.50"))]


def test_no_stored_table_keeps_a_raw_name_or_email(fixture_warehouse: duckdb.DuckDBPyConnection) -> None:
    """The adapter's contract-shaped users and leads are views over the export; the door stores only hashes."""
    kinds = dict(
        fixture_warehouse.execute(
            "select table_name, table_type from information_schema.tables"
            " where table_name in ('int_users_from_salesforce', 'int_leads_from_salesforce')"
        ).fetchall()
    )
    assert kinds == {"int_users_from_salesforce": "VIEW", "int_leads_from_salesforce": "VIEW"}
    raw = {"ann lee", "ann.lee@example.com", "lee park", "lee", "park", "lee.park@example.com"}
    assert stored_raw_values(fixture_warehouse, raw) == []
    (kept,) = fixture_warehouse.execute(
        "select count(*) from information_schema.tables"
        " where table_name in ('int_users_validated', 'int_leads_validated')"
    ).fetchone()
    assert kept == 2  # the door's tables exist: the scan read them
