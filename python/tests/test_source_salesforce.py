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
from pathlib import Path

import duckdb
import pytest
from dbt_helpers import assert_ok, run_dbt

from crm_warehouse import PROJECT_ROOT
from crm_warehouse.contract import load_contract

SAMPLES = Path(os.environ.get("CRM_SAMPLES_DIR", str(PROJECT_ROOT / "samples")))
SALESFORCE = SAMPLES / "salesforce_fivetran"
PICKLIST_MAP = PROJECT_ROOT / "seeds" / "salesforce" / "salesforce_picklist_map.csv"
MAPPED = "main_intermediate"
# The entities the adapter fills (macros/sources/crm_source_entities.sql).
ENTITIES = (
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


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    if not (SALESFORCE / "sf_opportunity_data.csv").is_file():
        pytest.fail(f"Salesforce sample not found in {SALESFORCE}: set CRM_SAMPLES_DIR")
    work = tmp_path_factory.mktemp("salesforce")
    saved = {name: os.environ.get(name) for name in ("CRM_SOURCE", "CRM_SOURCE_FILE_PATTERN")}
    os.environ["CRM_SOURCE"] = "salesforce"
    os.environ["CRM_SOURCE_FILE_PATTERN"] = "sf_{table}_data"
    try:
        result = run_dbt(
            work,
            SALESFORCE,
            "build",
            "--select",
            "path:models/staging/salesforce",
            "path:models/intermediate/salesforce",
            "path:seeds/salesforce",
            "data_quality__source_row_accounting",
        )
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    assert_ok(result)
    connection = duckdb.connect(str(work / "crm.duckdb"), read_only=True)
    yield connection
    connection.close()


def test_mapped_models_have_exactly_the_contract_columns(warehouse: duckdb.DuckDBPyConnection) -> None:
    contract = load_contract()
    for entity in ENTITIES:
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
