"""The door's kept rows obey the contract: test kept_rows_follow_the_contract (one query per entity) on
hand-made int_<entity>_validated tables, no build needed."""

from __future__ import annotations

from pathlib import Path

import duckdb
from dbt_helpers import run_dbt

ACCOUNT_COLUMNS = (
    "account_id, account_name, industry, employee_count, annual_revenue, region, country, tier, owner_user_id, "
    "created_by_user_id, created_at, updated_at, is_valid"
)
ACCOUNTS = [
    # key, name, industry, region, tier, is_valid
    ("ACC-1", "Acme", "software", "emea", "smb", True),
    ("ACC-1", "Acme again", "retail", "emea", "smb", True),  # a repeated kept key
    ("ACC-2", None, "media", "apac", "smb", True),  # a required name missing on a kept row
    ("ACC-3", "Bolt", "shipbuilding", "apac", "other", True),  # an unknown industry that was not mended
    ("ACC-4", "Cogs", "other", "latam", "smb", True),  # an unknown industry mended to 'other' (flagged): fine
    ("ACC-5", None, "nonsense", "mars", "huge", False),  # rejected rows are not checked
]


def _warehouse(path: Path) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema main_intermediate")
        con.execute(
            "create table main_intermediate.int_accounts_validated as select * from (values "
            + ", ".join(
                f"('{key}', {repr(name) if name else 'null'}, '{industry}', 10, 1.0, '{region}', 'DE', '{tier}', "
                f"null, null, timestamp '2025-01-01', timestamp '2025-01-02', {valid})"
                for key, name, industry, region, tier, valid in ACCOUNTS
            )
            + f") as t({ACCOUNT_COLUMNS})"
        )
        con.execute(
            "create table main_intermediate.int_order_items_validated as select * from (values "
            "('ORI-1', 'ORD-1', 'PRD-1', -2, 10.0, 0.1, 4.0, true), "
            "('ORI-2', 'ORD-1', 'PRD-1', 3, 10.0, 0.1, 4.0, true)"
            ") as t(order_item_id, order_id, product_id, quantity, unit_price, discount_rate, unit_cost, is_valid)"
        )


def _broken_rules(tmp_path: Path, entity: str, dbt_vars: dict[str, object] | None = None) -> set[tuple]:
    database = tmp_path / "crm.duckdb"
    if not database.exists():
        _warehouse(database)
    result = run_dbt(
        tmp_path,
        tmp_path,
        "test",
        "--select",
        f"int_{entity}_validated,test_name:kept_rows_follow_the_contract",
        "--store-failures",
        database=database,
        dbt_vars={"crm_raw_dir": "", **(dbt_vars or {})},
    )
    assert result.returncode == 1, result.stdout[-3000:]
    with duckdb.connect(str(database), read_only=True) as con:
        # The one test this run selected stored its failing rows in the audit schema (its name may be hashed).
        ((table,),) = con.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_schema like '%dbt_test__audit'"
        ).fetchall()
        return set(con.execute(f"select column_name, rule, failing_rows from {table}").fetchall())


def test_kept_accounts_breaking_key_required_and_values_are_each_named(tmp_path: Path) -> None:
    assert _broken_rules(tmp_path, "accounts") == {
        ("account_id", "key", 1),
        ("account_name", "required", 1),
        ("industry", "values", 1),
    }


def test_other_is_a_contract_value_only_where_an_unknown_value_is_flagged(tmp_path: Path) -> None:
    # With industry set to reject the row, a kept 'other' (ACC-4) breaks the rule too.
    rules = _broken_rules(tmp_path, "accounts", {"crm_on_invalid": {"accounts.industry": "reject_row"}})
    assert ("industry", "values", 2) in rules


def test_a_negative_quantity_on_a_kept_line_is_named(tmp_path: Path) -> None:
    assert _broken_rules(tmp_path, "order_items") == {("quantity", "non_negative", 1)}
