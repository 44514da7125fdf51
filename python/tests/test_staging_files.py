"""The files path end to end: a hand-made extract directory, dbt build of its staging, typed values read back.

Expected values are computed by hand from the rows below. dbt runs with its own target, log and DuckDB paths
under tmp_path, so this test can run next to `make build`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from crm_warehouse import PROJECT_ROOT
from crm_warehouse.pii import DEMO_PII_KEY, UNSET_WARNING

DBT = Path(sys.executable).parent / "dbt"

ACCOUNTS_CSV = """\
account_id,account_name,industry,employee_count,annual_revenue,region,country,tier,owner_user_id,created_by_user_id,created_at,updated_at
ACC-000001,Acme,Software,120,1000.50,EMEA,DE,Mid-Market,usr-0001,,2025-03-01T09:30:00+02:00,2025-03-01T09:30:00+02:00
 acc-000001 ,Acme GmbH,software,many,2000,emea,DE,mid_market, usr-0001 ,,2025-03-01T09:30:00+02:00,2025-06-01T12:00:00Z
ACC-000002,Beta,retail,15,,apac,JP,smb,USR-0002,,2025-01-15T10:00:00-05:00,2025-01-15T10:00:00-05:00
ACC-000002,Beta,retail,15,,apac,JP,smb,USR-0002,,2025-01-15T10:00:00-05:00,2025-01-15T10:00:00-05:00
"""

CONTACTS_CSV = """\
contact_id,account_id,first_name,last_name,email,phone,title,is_decision_maker,preferred_channel,created_by_user_id,created_at,updated_at
con-1,acc-000001,Jane,Doe, Jane.Doe@Example.COM ,,CFO,yes,In Person,,2025-03-02T08:00:00Z,2025-03-02T08:00:00Z
"""


# The PII key of the fixture's build: the expected hashes below are computed with Python's hmac from it.
PII_KEY = "staging-test-key"


def _dbt(
    project_tmp: Path, extract: Path, *args: str, pii_key: str | None = PII_KEY
) -> subprocess.CompletedProcess[str]:
    env = {
        **{k: v for k, v in os.environ.items() if k != "CRM_PII_KEY"},
        **({"CRM_PII_KEY": pii_key} if pii_key is not None else {}),
        "DBT_PROFILES_DIR": str(PROJECT_ROOT),
        "CRM_DUCKDB_PATH": str(project_tmp / "crm.duckdb"),
        "CRM_RAW_DIR": str(extract),
        "CRM_RAW_FORMAT": "csv",
        "CRM_THREADS": "2",
    }
    paths = ["--target-path", str(project_tmp / "target"), "--log-path", str(project_tmp / "logs")]
    return subprocess.run(
        [str(DBT), *args, *paths], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(dbt work dir, extract dir) after building the selected staging models from the extract."""
    tmp = tmp_path_factory.mktemp("staging_files")
    extract = tmp / "extract"
    extract.mkdir()
    (extract / "accounts.csv").write_text(ACCOUNTS_CSV)
    (extract / "contacts.csv").write_text(CONTACTS_CSV)
    # survey_responses is optional and absent; users is required and absent, but not selected here.
    selection = "+stg_crm__accounts +stg_crm__contacts +stg_crm__survey_responses"
    result = _dbt(tmp, extract, "build", "--select", selection, "--exclude", "test_name:relationships")
    assert result.returncode == 0, result.stdout + result.stderr
    return tmp, extract


@pytest.fixture
def warehouse(built: tuple[Path, Path]) -> Iterator[duckdb.DuckDBPyConnection]:
    # Opened per test: a read-only handle would lock dbt out of the file in the last test.
    connection = duckdb.connect(str(built[0] / "crm.duckdb"), read_only=True)
    yield connection
    connection.close()


def test_latest_version_of_a_key_wins_with_ids_normalised_and_timestamps_in_utc(warehouse) -> None:
    rows = warehouse.sql(
        "select account_id, account_name, industry, tier, owner_user_id, employee_count, annual_revenue,"
        " created_at, updated_at, _invalid_columns from main_staging.stg_crm__accounts order by account_id"
    ).fetchall()
    assert rows == [
        # ' acc-000001 ' is ACC-000001; its 2025-06-01 version supersedes the 2025-03-01 one. 'many' is not an
        # integer: null, and named in _invalid_columns. 09:30 at +02:00 is 07:30 UTC.
        (
            "ACC-000001",
            "Acme GmbH",
            "software",
            "mid_market",
            "USR-0001",
            None,
            Decimal("2000"),
            dt.datetime(2025, 3, 1, 7, 30),
            dt.datetime(2025, 6, 1, 12, 0),
            "employee_count",
        ),
        # Exact duplicate rows collapse into one; 10:00 at -05:00 is 15:00 UTC.
        (
            "ACC-000002",
            "Beta",
            "retail",
            "smb",
            "USR-0002",
            15,
            None,
            dt.datetime(2025, 1, 15, 15, 0),
            dt.datetime(2025, 1, 15, 15, 0),
            "",
        ),
    ]


def test_the_raw_text_of_a_value_that_did_not_parse_is_kept(warehouse) -> None:
    rows = warehouse.sql(
        "select account_id, json_extract_string(_invalid_values, '$.employee_count'), _invalid_values is null"
        " from main_staging.stg_crm__accounts order by account_id"
    ).fetchall()
    # 'many' (employee_count of the winning ACC-000001 version) is the text to fix; ACC-000002 parsed cleanly.
    assert rows == [("ACC-000001", "many", False), ("ACC-000002", None, True)]


def test_base_keeps_every_raw_row_with_its_ranks(warehouse) -> None:
    rows = warehouse.sql(
        "select _row_number, account_id, _dup_rank, _key_rank from main_staging.base_crm__accounts order by _row_number"
    ).fetchall()
    assert rows == [
        (1, "ACC-000001", 1, 2),  # superseded version: quarantine's duplicate_key
        (2, "ACC-000001", 1, 1),
        (3, "ACC-000002", 1, 1),
        (4, "ACC-000002", 2, None),  # exact duplicate of row 3, collapsed
    ]


def test_pii_is_hashed_and_never_exposed(warehouse) -> None:
    columns = [c[0] for c in warehouse.sql("select * from main_staging.stg_crm__contacts limit 0").description]
    assert "email" not in columns and "first_name" not in columns
    row = warehouse.sql(
        "select contact_id, account_id, email_hash, phone_hash, is_decision_maker, preferred_channel"
        " from main_staging.stg_crm__contacts"
    ).fetchone()
    email_hash = hmac.new(PII_KEY.encode(), b"jane.doe@example.com", hashlib.sha256).hexdigest()
    assert row == ("CON-1", "ACC-000001", email_hash, None, True, "in_person")
    # Keyed: the unkeyed sha256 an attacker would compute from an email list does not match.
    assert email_hash != hashlib.sha256(b"jane.doe@example.com").hexdigest()


def _email_hash_built_with(tmp: Path, extract: Path, pii_key: str | None) -> tuple[str, str]:
    """(email_hash of Jane's contact, dbt's stderr+stdout) of a build of base_crm__contacts alone with that key."""
    result = _dbt(tmp, extract, "build", "--select", "base_crm__contacts", pii_key=pii_key)
    assert result.returncode == 0, result.stdout + result.stderr
    with duckdb.connect(str(tmp / "crm.duckdb"), read_only=True) as connection:
        (email_hash,) = connection.sql("select email_hash from main_staging.base_crm__contacts").fetchone()
    return email_hash, result.stderr + result.stdout


def test_another_pii_key_gives_another_hash(built: tuple[Path, Path], tmp_path: Path) -> None:
    _, extract = built
    email_hash, _ = _email_hash_built_with(tmp_path, extract, "another-key")
    assert email_hash == hmac.new(b"another-key", b"jane.doe@example.com", hashlib.sha256).hexdigest()
    assert email_hash != hmac.new(PII_KEY.encode(), b"jane.doe@example.com", hashlib.sha256).hexdigest()


def test_without_a_pii_key_the_demo_key_is_used_with_a_one_line_warning(built: tuple[Path, Path], tmp_path) -> None:
    _, extract = built
    email_hash, output = _email_hash_built_with(tmp_path, extract, None)
    assert email_hash == hmac.new(DEMO_PII_KEY.encode(), b"jane.doe@example.com", hashlib.sha256).hexdigest()
    assert output.count(UNSET_WARNING) >= 1
    assert "\n" not in UNSET_WARNING and "CRM_PII_KEY is not set" in UNSET_WARNING


def test_absent_optional_entity_builds_empty_and_typed(warehouse) -> None:
    assert warehouse.sql("select count(*) from main_staging.stg_crm__survey_responses").fetchone() == (0,)
    types = dict(
        warehouse.sql(
            "select column_name, data_type from information_schema.columns"
            " where table_schema = 'main_staging' and table_name = 'stg_crm__survey_responses'"
        ).fetchall()
    )
    assert types["responded_at"] == "TIMESTAMP"
    assert types["scale_max"] == "BIGINT"


def test_missing_required_file_fails_naming_it(built: tuple[Path, Path]) -> None:
    tmp, extract = built  # same target dir: dbt reuses the parsed project
    result = _dbt(tmp, extract, "compile", "--select", "base_crm__users")
    assert result.returncode != 0
    assert f"Raw CRM file missing: {extract}/users.csv" in result.stdout


def test_file_without_a_contract_column_fails_naming_file_and_column(built: tuple[Path, Path]) -> None:
    tmp, extract = built
    header = "product_id,product_name,product_family,tier,list_price,is_subscription,updated_at"  # no unit_cost
    (extract / "products.csv").write_text(f"{header}\nPRD-1,Desk,services,basic,10,no,2025-01-01T00:00:00Z\n")
    result = _dbt(tmp, extract, "compile", "--select", "base_crm__products")
    assert result.returncode != 0
    assert f"Raw CRM file {extract}/products.csv lacks contract column(s) unit_cost" in result.stdout
