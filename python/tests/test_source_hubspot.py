"""The HubSpot adapter (issue 11) on the shared Fivetran sample: hand-counted values from the CSVs.

The sample lives in CRM_SAMPLES_DIR (default <repo>/samples)/hubspot_fivetran. One dbt build of the
HubSpot adapter's nodes per module. Until the shared crm_source plumbing is merged this builds the adapter's
models directly (CRM_SOURCE=hubspot enables them), not the whole warehouse through the build driver.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from dbt_helpers import assert_ok, run_dbt

from crm_warehouse import PROJECT_ROOT

SAMPLES = Path(os.environ.get("CRM_SAMPLES_DIR", str(PROJECT_ROOT / "samples")))
HUBSPOT = SAMPLES / "hubspot_fivetran"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    if not (HUBSPOT / "hs_deal_data.csv").is_file():
        pytest.fail(f"HubSpot sample not found in {HUBSPOT}: set CRM_SAMPLES_DIR")
    work = tmp_path_factory.mktemp("hubspot")
    saved = {name: os.environ.get(name) for name in ("CRM_SOURCE", "CRM_SOURCE_FILE_PATTERN")}
    os.environ["CRM_SOURCE"] = "hubspot"
    os.environ["CRM_SOURCE_FILE_PATTERN"] = "hs_{table}_data"
    try:
        result = run_dbt(
            work,
            HUBSPOT,
            "build",
            "--select",
            "path:models/staging/hubspot",
            "path:models/intermediate/hubspot",
            "path:seeds/hubspot",
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
    # deal 44 read, 0 excluded; deal_stage 14 read (all _fivetran_active TRUE, none of a deleted/merged deal);
    # owner 100 read (hs_owner_data.csv: 101 lines).
    rows = warehouse.sql(
        "select source_table, entity, rows_read, rows_excluded, rows_mapped"
        " from main_intermediate.int_hubspot_rows_accounted order by 1"
    ).fetchall()
    assert rows == [
        ("deal", "opportunities", 44, 0, 44),
        ("deal_stage", "opportunity_stage_history", 14, 0, 14),
        ("owner", "users", 100, 0, 100),
    ]
    assert all(read == excluded + mapped for _, _, read, excluded, mapped in rows)
