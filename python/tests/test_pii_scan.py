"""No raw personal data in the warehouse or the app's copy (issue 10, items 16 and 17).

`make build` of the demo extract (no CRM_RAW_DIR: the demo is read through the file door, not loaded as seed
tables), then every text column of every table and view of crm.duckdb and crm_app.duckdb is scanned for the
demo's raw names, emails and phones (the PII columns of contacts, leads and users). None may be found.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import os
from pathlib import Path

import duckdb
import pytest
from dbt_helpers import make_build, output_tail
from pii_scan import raw_pii_values, relations, scan

from crm_warehouse import PROJECT_ROOT
from crm_warehouse.pii import DEMO_PII_KEY, PII_KEY_ENV, UNSET_WARNING

DEMO = PROJECT_ROOT / "seeds" / "demo"


@pytest.fixture(scope="module")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    work = tmp_path_factory.mktemp("pii_scan")
    previous = os.environ.pop(PII_KEY_ENV, None)  # the demo default key, and its warning
    try:
        result = make_build(work, "make build")
    finally:
        if previous is not None:
            os.environ[PII_KEY_ENV] = previous
    assert result.returncode == 0, output_tail(result)
    return {"work": work, "result": result}


@pytest.fixture(scope="module")
def demo_pii() -> set[str]:
    values = raw_pii_values(DEMO)
    # 794 contacts x 4 PII columns + 1,500 leads x 2 + 13 users x 2, less repeats (names shared by many people).
    assert "gus.tanaka1@contact.example" in values and "+1-555-3240" in values and "julia bauer" in values
    assert len(values) > 2000
    return values


def test_the_scan_finds_raw_pii_where_it_is(tmp_path: Path, demo_pii: set[str]) -> None:
    # The scanner itself can fail: a table of the raw demo contacts and a JSON record of one are found.
    database = tmp_path / "crm.duckdb"
    with duckdb.connect(str(database)) as connection:
        connection.execute(
            f"create table contacts as select * from read_csv('{DEMO / 'contacts.csv'}', all_varchar = true)"
        )
        connection.execute(
            """create table records as select '{"first_name": "Gus", "email": "x"}' as record,"""
            " 'call Julia Bauer today' as note"
        )
    found = {(f.relation, f.column, f.value) for f in scan(database, demo_pii)}
    assert ("main.contacts", "email", "gus.tanaka1@contact.example") in found
    assert ("main.contacts", "phone", "+1-555-3240") in found
    assert ("main.records", "record", "gus") in found
    assert ("main.records", "note", "julia bauer") in found


def test_the_demo_build_loads_no_raw_tables(demo_build) -> None:
    work = demo_build["work"]
    assert "--exclude" not in demo_build["result"].stdout
    schemas = {schema for schema, _, _ in relations(work / "crm.duckdb")}
    assert "main_raw" not in schemas
    names = {name for _, name, _ in relations(work / "crm.duckdb")}
    assert not names & {"contacts", "leads", "users"}


@pytest.mark.parametrize("database", ["crm.duckdb", "crm_app.duckdb"])
def test_no_text_column_holds_the_demos_raw_pii(demo_build, demo_pii: set[str], database: str) -> None:
    path = demo_build["work"] / database
    assert path.is_file()
    findings = scan(path, demo_pii)
    assert findings == [], findings[:20]


def test_hashes_are_the_keyed_hmac_of_the_demo_key(demo_build) -> None:
    with (DEMO / "contacts.csv").open(encoding="utf-8", newline="") as handle:
        first = next(csv.DictReader(handle))
    expected = hmac.new(DEMO_PII_KEY.encode(), first["email"].strip().lower().encode(), hashlib.sha256).hexdigest()
    with duckdb.connect(str(demo_build["work"] / "crm.duckdb"), read_only=True) as connection:
        (email_hash,) = connection.execute(
            "select email_hash from dim_contacts where contact_id = ?", [first["contact_id"]]
        ).fetchone()
    assert email_hash == expected
    # CRM_PII_KEY was unset: the one-line warning reached the terminal.
    assert UNSET_WARNING in demo_build["result"].stderr + demo_build["result"].stdout
