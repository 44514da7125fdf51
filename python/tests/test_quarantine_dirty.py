"""A --dirty extract end to end: every fault the generator injected (its manifest.json) comes out of the
warehouse the way the manifest says (quarantined, or kept with the value flagged, collapsed, normalised or
kept as it is), nothing clean is quarantined or flagged, and every raw row is accounted for.

The generator decides the faults and their expected outcome; the warehouse decides independently (staging,
int_<entity>_validated, quarantine, data_quality__row_accounting). The default quarantine thresholds stay on:
a dirty extract at this scale quarantines well under 10% of any entity, so the gate must not fire.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from dbt_helpers import assert_ok, run_dbt
from pii_scan import raw_pii_values, scan

from crm_warehouse.contract import load_contract
from crm_warehouse.generate import generate

SCALE = "0.05"
SEED = 5
# Staging, validation, quarantine and accounting with their tests and unit tests. Left out: staging's own tests
# (the staging suite's business) and, by cautious indirect selection, tests of core models that also read
# the validated layer.
SELECTION = [
    "--select",
    "+data_quality__row_accounting+",
    "--exclude",
    "path:models/staging,resource_type:test",
    "--indirect-selection",
    "cautious",
]
NOT_QUARANTINED = {"collapsed", "normalised", "kept"}


def _quarantined(fault: dict) -> bool:
    return fault["expected"] not in NOT_QUARANTINED and not fault["flagged"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """(DuckDB file, manifest) after building the quarantine layer over a generated dirty extract."""
    tmp = tmp_path_factory.mktemp("quarantine_dirty")
    extract = tmp / "extract"
    generate(extract, SCALE, seed=SEED, fmt="csv", dirty=True)
    manifest = json.loads((extract / "manifest.json").read_text())
    assert_ok(run_dbt(tmp, extract, "build", *SELECTION))
    return tmp / "crm.duckdb", manifest


@pytest.fixture
def warehouse(built: tuple[Path, dict]) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(built[0]), read_only=True)
    yield connection
    connection.close()


@pytest.fixture
def faults(built: tuple[Path, dict]) -> list[dict]:
    return built[1]["faults"]


def _quarantine(warehouse: duckdb.DuckDBPyConnection) -> set[tuple[str, str, str, str]]:
    return set(
        warehouse.sql("select entity, source_key, reason, column_name from main_intermediate.quarantine").fetchall()
    )


def _expected_quarantine_row(fault: dict) -> tuple[str, str, str, str]:
    """Quarantine row a fault must produce; a superseded version is reported on its primary key column."""
    entity = fault["entity"]
    column = fault["column"]
    if fault["expected"] == "duplicate_key":
        column = ",".join(load_contract()[entity].primary_key)
    return entity, fault["key"], fault["expected"], column


def test_the_manifest_injects_faults_of_every_reason(faults) -> None:
    expected = {f["expected"] for f in faults}
    assert expected >= {
        "duplicate_key",
        "missing_required",
        "unparseable_value",
        "future_timestamp",
        "negative_amount",
        "unknown_enum",
        "orphan_reference",
        "unknown_currency",
        "collapsed",
        "normalised",
        "kept",
    }
    assert {f["expected"] for f in faults if f["flagged"]} >= {
        "unparseable_value",
        "negative_amount",
        "unknown_enum",
        "orphan_reference",
    }


def test_every_quarantine_fault_is_found_with_its_reason_and_column(warehouse, faults) -> None:
    quarantined = _quarantine(warehouse)
    missing = [
        _expected_quarantine_row(f)
        for f in faults
        if _quarantined(f) and _expected_quarantine_row(f) not in quarantined
    ]
    assert missing == []


def test_nothing_but_the_injected_faults_is_quarantined(warehouse, faults) -> None:
    # The clean part of the generated extract is valid, so the quarantine is exactly the faults' rows.
    expected = {_expected_quarantine_row(f) for f in faults if _quarantined(f)}
    assert _quarantine(warehouse) == expected


def test_flagged_faults_are_kept_rows_with_exactly_that_value_issue(warehouse, faults) -> None:
    # The clean part of the extract has no value issue, so the issue list is exactly the flagged faults.
    flagged = warehouse.sql(
        "select entity, source_key, rule, column_name, raw_value from main_intermediate.data_quality__value_issues"
    ).fetchall()
    expected = {(f["entity"], f["key"], f["expected"], f["column"]) for f in faults if f["flagged"]}
    assert {row[:4] for row in flagged} == expected
    assert len(flagged) == len(expected)
    # The value as it arrived: the raw text of an unparseable date, the unknown enum as staged.
    raw_values = {(row[0], row[3]): row[4] for row in flagged}
    for fault in faults:
        if fault["flagged"] and fault["expected"] in ("unparseable_value", "orphan_reference"):
            assert raw_values[(fault["entity"], fault["column"])] == fault["raw_value"], fault
    assert raw_values[("accounts", "industry")] == "telecoms"


def test_kept_faults_are_valid_rows_without_value_issues(warehouse, faults) -> None:
    kept = [f for f in faults if f["expected"] == "kept"]
    assert kept
    for fault in kept:
        (pk,) = load_contract()[fault["entity"]].primary_key
        rows = warehouse.execute(
            f"select is_valid, has_value_issues, {fault['column']}"
            f" from main_intermediate.int_{fault['entity']}_validated where {pk} = ?",
            [fault["key"]],
        ).fetchall()
        assert rows == [(True, False, None)], fault


def test_normalised_faults_are_valid_rows(warehouse, faults) -> None:
    normalised = [f for f in faults if f["expected"] == "normalised"]
    assert normalised
    for fault in normalised:
        (pk,) = load_contract()[fault["entity"]].primary_key
        rows = warehouse.execute(
            f"select is_valid, quarantine_reason from main_intermediate.int_{fault['entity']}_validated where {pk} = ?",
            [fault["key"]],
        ).fetchall()
        assert rows == [(True, None)], fault


def test_exact_duplicates_are_collapsed_not_quarantined(warehouse, faults) -> None:
    injected = Counter(f["entity"] for f in faults if f["expected"] == "collapsed")
    collapsed = dict(
        warehouse.sql(
            "select entity, exact_duplicates_collapsed from main_intermediate.data_quality__row_accounting"
            " where exact_duplicates_collapsed > 0"
        ).fetchall()
    )
    assert collapsed == dict(injected)


def test_every_entity_balances_and_counts_every_written_row(warehouse, built) -> None:
    written = built[1]["rows"]
    rows = warehouse.sql(
        "select entity, raw_rows, valid_rows + flagged_rows + quarantined_rows + exact_duplicates_collapsed,"
        " is_balanced, quarantined_rows = superseded_versions + invalid_rows"
        " from main_intermediate.data_quality__row_accounting"
    ).fetchall()
    assert {entity for entity, *_ in rows} == set(load_contract())
    for entity, raw_rows, accounted, is_balanced, quarantine_complete in rows:
        assert raw_rows == written[entity], entity
        assert accounted == raw_rows and is_balanced and quarantine_complete, entity


def test_quarantine_share_above_the_error_threshold_stops_the_build(built) -> None:
    database = built[0]
    with duckdb.connect(str(database), read_only=True) as connection:
        entity, share, quarantined, top_reasons = connection.sql(
            "select entity, quarantine_share, quarantined_rows, top_reasons"
            " from main_intermediate.data_quality__row_accounting order by quarantine_share desc limit 1"
        ).fetchone()
    assert 0 < share < 0.10  # the default gate lets this extract through (the build above passed)

    def gate(min_rows: int):
        return run_dbt(
            database.parent,
            database.parent / "extract",
            "test",
            "--select",
            "test_name:quarantine_share_within_thresholds",
            dbt_vars={"quarantine_error_share": share / 2, "quarantine_error_min_rows": min_rows},
        )

    result = gate(quarantined)
    assert result.returncode != 0
    assert f"Quarantine share of {entity} is {share * 100:.1f}%" in result.stdout
    assert f"Top reasons: {top_reasons}" in result.stdout
    # A minimum above every entity's quarantined rows: the same shares only warn.
    warned = gate(10**6)
    assert warned.returncode == 0, warned.stdout[-3000:]
    assert f"Quarantine share of {entity} is {share * 100:.1f}% ({quarantined} of " in warned.stdout
    assert "fewer than 1000000 rows (quarantine_error_min_rows)" in warned.stdout


def test_quarantine_records_of_pii_entities_carry_no_raw_pii(built: tuple[Path, dict], warehouse) -> None:
    # Quarantine keeps the whole offending row as JSON: its PII fields are the staged hashes, never the raw values.
    contract = load_contract()
    records = warehouse.sql(
        "select entity, record from main_intermediate.quarantine where entity in ('contacts', 'leads', 'users')"
    ).fetchall()
    assert records, "the dirty extract quarantines no row of a PII entity: nothing to check"
    for entity, record in records:
        fields = set(json.loads(record))
        pii = {c.name for c in contract[entity].columns if c.logical_type == "pii"}
        assert not fields & pii and {f"{name}_hash" for name in pii} <= fields, (entity, record)
    database = built[0]
    warehouse.close()  # the scan attaches the file itself
    assert scan(database, raw_pii_values(database.parent / "extract")) == []
