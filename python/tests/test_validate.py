"""The Great Expectations gate: rules from names, dbt tests and facts; failures named by mart and column."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest

from crm_warehouse.validate.__main__ import main
from crm_warehouse.validate.conventions import conventional_range, range_expectation
from crm_warehouse.validate.manifest import load_marts
from crm_warehouse.validate.suites import suite_for


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("win_rate", (0, 1)),
        ("revenue_share", (0, 1)),
        ("nps", (-100, 100)),
        ("segment_nps", (-100, 100)),
        ("median_cycle_days", (0, None)),
        ("first_response_hours", (0, None)),
        ("ticket_count", (0, None)),
        ("revenue_growth_rate", None),  # growth may be negative
        ("gap_trend_days", None),
        ("revenue_usd", None),
    ],
)
def test_conventional_range(name: str, expected: tuple[float | None, float | None] | None) -> None:
    assert conventional_range(name) == expected


def test_column_meta_overrides_the_convention() -> None:
    declared = range_expectation("roi", {"range": [-1, None]})
    assert declared is not None
    assert declared.kwargs == {"column": "roi", "min_value": -1, "max_value": None}
    assert range_expectation("win_rate", {"range": "none"}) is None


def _node(name: str, path: list[str], depends: list[str], columns: dict[str, dict]) -> dict:
    return {
        "resource_type": "model",
        "name": name,
        "alias": name,
        "schema": "main",
        "fqn": ["crm_warehouse", *path, name],
        "depends_on": {"nodes": depends},
        "columns": {c: {"name": c, "meta": meta} for c, meta in columns.items()},
    }


def _test(name: str, attached: str, kwargs: dict, config: dict | None = None) -> dict:
    return {
        "resource_type": "test",
        "attached_node": attached,
        "test_metadata": {"name": name, "kwargs": kwargs},
        "config": config or {"severity": "ERROR"},
        "fqn": ["crm_warehouse", name],
        "depends_on": {"nodes": [attached]},
    }


def _manifest(tmp_path: Path) -> Path:
    nodes = {
        "model.crm_warehouse.fct_orders": _node("fct_orders", ["marts", "core"], [], {"order_date": {}}),
        "model.crm_warehouse.int_x": _node("int_x", ["intermediate"], ["model.crm_warehouse.fct_orders"], {}),
        "model.crm_warehouse.win_rates": _node(
            "win_rates",
            ["marts", "conversion"],
            ["model.crm_warehouse.int_x"],
            {"month_start": {}, "segment": {}, "win_rate": {}, "growth": {"range": [0, 2]}},
        ),
        "test.unique_month": _test(
            "unique_combination_of_columns",
            "model.crm_warehouse.win_rates",
            {"combination_of_columns": ["month_start", "segment"]},
        ),
        "test.segments": _test(
            "accepted_values", "model.crm_warehouse.win_rates", {"column_name": "segment", "values": ["smb", "ent"]}
        ),
        "test.growth_range": _test(
            "accepted_range", "model.crm_warehouse.win_rates", {"column_name": "growth", "min_value": 0}
        ),
        "test.warn_only": _test(
            "not_null", "model.crm_warehouse.win_rates", {"column_name": "win_rate"}, {"severity": "warn"}
        ),
    }
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({"nodes": nodes}))
    return path


def test_manifest_gives_keys_category_sets_and_core_parents(tmp_path: Path) -> None:
    marts = load_marts(_manifest(tmp_path))
    assert sorted(marts) == ["fct_orders", "win_rates"]
    win_rates = marts["win_rates"]
    assert win_rates.core_parents == {"fct_orders"}  # found through the intermediate model
    kinds = sorted(e.kind for e in win_rates.expectations)  # the warn-only test is not a hard rule
    assert kinds == ["ExpectColumnValuesToBeBetween", "ExpectColumnValuesToBeInSet", "ExpectCompoundColumnsToBeUnique"]


def test_suite_adds_ranges_row_count_and_freshness(tmp_path: Path) -> None:
    mart = load_marts(_manifest(tmp_path))["win_rates"]
    columns = ["month_start", "segment", "win_rate", "growth"]
    suite = suite_for(mart, columns, {"fct_orders": 10}, dt.date(2026, 3, 1))
    described = sorted(
        ((e.kind, e.column, e.kwargs.get("min_value"), e.kwargs.get("max_value")) for e in suite), key=str
    )
    assert described == [
        ("ExpectColumnMaxToBeBetween", "month_start", "2026-02-01", None),
        ("ExpectColumnValuesToBeBetween", "growth", 0, 2),
        ("ExpectColumnValuesToBeBetween", "growth", 0, None),
        ("ExpectColumnValuesToBeBetween", "win_rate", 0, 1),
        ("ExpectColumnValuesToBeInSet", "segment", None, None),
        ("ExpectCompoundColumnsToBeUnique", None, None, None),
        ("ExpectTableRowCountToBeBetween", None, 1, None),
    ]
    # The as-of month caps month_start, whatever the facts hold.
    capped = suite_for(mart, columns, {"fct_orders": 0}, None, last_month=dt.date(2026, 3, 1))
    assert [(e.kind, e.kwargs) for e in capped if e.kind == "ExpectColumnMaxToBeBetween"] == [
        ("ExpectColumnMaxToBeBetween", {"column": "month_start", "max_value": "2026-03-01"})
    ]
    # An empty upstream fact (an optional entity left out) allows an empty mart and skips freshness.
    empty_upstream = suite_for(mart, columns, {"fct_orders": 0}, dt.date(2026, 3, 1))
    assert {e.kind for e in empty_upstream} == {
        "ExpectColumnValuesToBeBetween",
        "ExpectColumnValuesToBeInSet",
        "ExpectCompoundColumnsToBeUnique",
    }


def _warehouse(tmp_path: Path, win_rate: float, month: str) -> Path:
    path = tmp_path / "crm.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(
            "create table fct_orders as "
            "select 'A' as account_id, 'completed' as status, date '2026-03-14' as order_date"
        )
        con.execute(
            "create table win_rates as select * from (values "
            f"(date '{month}', 'smb', 0.25, 1.0), (date '{month}', 'ent', {win_rate}, 1.5)) "
            "as t(month_start, segment, win_rate, growth)"
        )
    return path


def test_gate_passes_and_writes_data_docs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    warehouse = _warehouse(tmp_path, 0.5, "2026-03-01")
    docs = tmp_path / "docs"
    code = main(["--warehouse", str(warehouse), "--manifest", str(_manifest(tmp_path)), "--docs", str(docs)])
    assert code == 0, capsys.readouterr().err
    assert (docs / "index.html").exists()
    # Built once at the end, the site still holds every mart's validation result (the fixture's one mart).
    pages = sorted(docs.glob("validations/**/*.html"))
    assert [page.relative_to(docs / "validations").parts[0] for page in pages] == ["win_rates"]
    assert "win_rates" in (docs / "index.html").read_text()


def test_gate_fails_naming_mart_and_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    warehouse = _warehouse(tmp_path, 1.5, "2025-11-01")  # a rate above 1, and a stale month
    code = main(["--warehouse", str(warehouse), "--manifest", str(_manifest(tmp_path)), "--docs", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 1
    assert "validate: 2 expectation(s) failed over 1 marts:" in err
    assert "FAIL win_rates.win_rate: ExpectColumnValuesToBeBetween(min_value=0, max_value=1)" in err
    assert "1 unexpected value(s), e.g. [1.5]" in err
    assert "FAIL win_rates.month_start: ExpectColumnMaxToBeBetween(min_value='2026-02-01')" in err


def test_gate_fails_on_a_month_after_the_as_of_month(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    warehouse = _warehouse(tmp_path, 0.5, "2026-04-01")
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema main_intermediate")
        con.execute("create table main_intermediate.int_extract_as_of_date as select date '2026-03-15' as as_of_date")
    code = main(["--warehouse", str(warehouse), "--manifest", str(_manifest(tmp_path)), "--docs", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 1
    assert "validate: 1 expectation(s) failed over 1 marts:" in err
    assert "FAIL win_rates.month_start: ExpectColumnMaxToBeBetween(max_value='2026-03-01')" in err


def test_exact_row_count_follows_from_the_facts(tmp_path: Path) -> None:
    mart = load_marts(_manifest(tmp_path))["win_rates"]
    suite = suite_for(mart, ["win_rate"], {"fct_orders": 10}, None, expected_rows=7)
    assert [e.kwargs for e in suite if e.kind == "ExpectTableRowCountToEqual"] == [{"value": 7}]


def test_customer_segments_row_count_is_checked_against_customers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Two accounts completed an order, one only cancelled: customer_segments must hold 2 rows, not 3.
    path = tmp_path / "crm.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(
            "create table fct_orders as select * from (values ('A', 'completed', date '2026-03-01'), "
            "('B', 'completed', date '2026-03-02'), ('C', 'cancelled', date '2026-03-03')) "
            "as t(account_id, status, order_date)"
        )
        con.execute("create table customer_segments as select * from (values ('A'), ('B'), ('C')) as t(account_id)")
    nodes = {
        "model.crm_warehouse.fct_orders": _node("fct_orders", ["marts", "core"], [], {}),
        "model.crm_warehouse.customer_segments": _node(
            "customer_segments", ["marts", "segmentation"], ["model.crm_warehouse.fct_orders"], {"account_id": {}}
        ),
    }
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"nodes": nodes}))
    code = main(["--warehouse", str(path), "--manifest", str(manifest), "--docs", str(tmp_path / "docs")])
    assert code == 1
    assert "FAIL customer_segments: ExpectTableRowCountToEqual(value=2) [row count follows from its facts]" in (
        capsys.readouterr().err
    )


def test_gate_says_what_to_run_when_the_warehouse_is_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--warehouse", str(tmp_path / "none.duckdb"), "--manifest", str(_manifest(tmp_path))])
    assert code == 2
    assert "run `make build`" in capsys.readouterr().err


def test_mart_constraints_become_the_same_expectations(tmp_path: Path) -> None:
    """An enforced column constraint (not_null, a range or a value set as check) is checked by the gate too."""
    node = _node("churn", ["marts", "churn"], [], {"tier": {}, "rate": {}, "count": {}, "flag": {}, "note": {}})
    node["columns"]["tier"]["constraints"] = [
        {"type": "not_null"},
        {"type": "check", "expression": "tier in ('smb', 'it''s')"},
    ]
    node["columns"]["rate"]["constraints"] = [{"type": "check", "expression": "rate between 0 and 1.5"}]
    node["columns"]["count"]["constraints"] = [{"type": "check", "expression": "count >= 0"}]
    node["columns"]["flag"]["constraints"] = [{"type": "check", "expression": "flag in (true, false)"}]
    node["columns"]["note"]["constraints"] = [{"type": "check", "expression": "length(note) < 9"}]  # not mirrored
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({"nodes": {"model.crm_warehouse.churn": node}}))
    described = sorted(((e.kind, e.kwargs) for e in load_marts(path)["churn"].expectations), key=str)
    assert described == sorted(
        [
            ("ExpectColumnValuesToNotBeNull", {"column": "tier"}),
            ("ExpectColumnValuesToBeInSet", {"column": "tier", "value_set": ["smb", "it's"]}),
            ("ExpectColumnValuesToBeBetween", {"column": "rate", "min_value": 0, "max_value": 1.5}),
            ("ExpectColumnValuesToBeBetween", {"column": "count", "min_value": 0, "max_value": None}),
            ("ExpectColumnValuesToBeInSet", {"column": "flag", "value_set": [True, False]}),
        ],
        key=str,
    )
