"""--dirty: every injected fault is in the output, logged in the manifest with its expected outcome,
and is the only difference from the clean extract of the same seed."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, date, datetime

import pytest
from generate_checks import contract_violations, read_extract

from crm_warehouse.contract import load_contract
from crm_warehouse.generate import generate

END = date(2026, 10, 31)
# Fault kinds the brief asks for, with the outcome each must be logged with.
EXPECTED = {
    "exact_duplicate": "collapsed",
    "stale_version": "duplicate_key",
    "messy_id": "normalised",
    "unparseable_date": "unparseable_value",
    "future_timestamp": "future_timestamp",
    "negative_amount": "negative_amount",
    "missing_amount": "missing_required",
    "unknown_stage": "unknown_enum",
    "orphan_reference": "orphan_reference",
    "mixed_offset": "normalised",
    "unknown_currency": "unknown_currency",
    "unknown_industry": "unknown_enum",
    "open_deal_without_amount": "kept",
}


@pytest.fixture(scope="module")
def extracts(tmp_path_factory) -> tuple[dict, dict, dict]:
    clean_dir = tmp_path_factory.mktemp("clean")
    dirty_dir = tmp_path_factory.mktemp("dirty")
    generate(clean_dir, "0.05", seed=5, fmt="csv")
    generate(dirty_dir, "0.05", seed=5, fmt="csv", dirty=True)
    manifest = json.loads((dirty_dir / "manifest.json").read_text())
    assert not (clean_dir / "manifest.json").exists()
    return read_extract(clean_dir), read_extract(dirty_dir), manifest


def _pk(entity: str) -> str:
    (pk,) = load_contract()[entity].primary_key
    return pk


def _rows_with_key(data, entity: str, key: str) -> list[dict]:
    pk = _pk(entity)
    return [r for r in data[entity][1] if r[pk].strip().upper() == key]


def test_manifest_covers_every_fault_kind_a_handful_of_times(extracts):
    _, _, manifest = extracts
    kinds = Counter(f["fault"] for f in manifest["faults"])
    assert set(kinds) == set(EXPECTED)
    assert all(f["expected"] == EXPECTED[f["fault"]] for f in manifest["faults"])
    assert sum(kinds.values()) >= 25
    assert kinds["exact_duplicate"] >= 3 and kinds["stale_version"] >= 3 and kinds["messy_id"] >= 3


def test_manifest_row_counts_are_the_raw_rows_written(extracts):
    clean, dirty, manifest = extracts
    assert set(manifest["rows"]) == set(load_contract())
    added = Counter(f["entity"] for f in manifest["faults"] if f["fault"] in ("exact_duplicate", "stale_version"))
    for entity, (_, rows) in dirty.items():
        assert manifest["rows"][entity] == len(rows), entity
        assert len(rows) == len(clean[entity][1]) + added[entity], entity


def test_each_fault_is_in_the_output_as_logged(extracts):
    clean, dirty, manifest = extracts
    for f in manifest["faults"]:
        entity, key, col = f["entity"], f["key"], f["column"]
        rows = _rows_with_key(dirty, entity, key)
        (original,) = _rows_with_key(clean, entity, key)
        if f["fault"] == "exact_duplicate":
            assert rows == [original, original], f
        elif f["fault"] == "stale_version":
            assert len(rows) == 2 and original in rows, f
            (older,) = [r for r in rows if r != original]
            assert older[col] == f["raw_value"] and older[col] < original[col], f  # strictly older
            changed = {c for c in original if original[c] != older[c]}
            assert col in changed and len(changed) == 2, f  # the timestamp and one content column
        else:
            (row,) = rows
            assert row[col] == f["raw_value"], f
            # Exactly one fault per row: every other column is the clean value.
            assert {c for c in row if row[c] != original[c]} == {col}, f


def test_normalised_faults_carry_the_clean_value(extracts):
    clean, _, manifest = extracts
    for f in manifest["faults"]:
        if f["expected"] != "normalised":
            continue
        (original,) = _rows_with_key(clean, f["entity"], f["key"])
        raw = f["raw_value"]
        if f["fault"] == "messy_id":
            assert raw != original[f["column"]] and raw.strip().upper() == original[f["column"]]
        else:
            assert not raw.endswith("Z")
            as_utc = datetime.fromisoformat(raw).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            assert as_utc == original[f["column"]]


def test_faults_are_absent_from_clean_output_and_every_violation_is_logged(extracts):
    clean, dirty, manifest = extracts
    assert contract_violations(clean, END) == []
    logged = {(f["entity"], f["key"]) for f in manifest["faults"]}
    violations = contract_violations(dirty, END, limit=10_000)
    assert violations
    for v in violations:
        entity = v.split(" ", 1)[0].rstrip(":")
        if "duplicate primary key" in v:
            assert any(e == entity for e, _ in logged), v
            continue
        row = int(v.split(" row ")[1].split(" ")[0])
        key = dirty[entity][1][row - 1][_pk(entity)].strip().upper()
        assert (entity, key) in logged, v
