"""The build driver's parts that need no dbt: settings and vars, the override share, the data-quality summary read
from a hand-made warehouse, and the mapping step's hand-off and errors."""

from __future__ import annotations

import datetime as dt
import json
import sys
import types
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from corpus.cases import copy_demo_extract, data_row_count

from crm_warehouse.build import cli
from crm_warehouse.build.dbt_run import DbtRun
from crm_warehouse.build.gate import make_command, quarantine_gate_lines, share_above
from crm_warehouse.build.quality import QualitySchemaError, read_quality
from crm_warehouse.build.report import summary_lines
from crm_warehouse.build.settings import SettingsError, load_settings, vars_flow, vars_json

# --- settings -------------------------------------------------------------------------------------------------


def test_vars_win_over_env_shortcuts_and_dates_reach_dbt_as_text() -> None:
    settings = load_settings(
        "{as_of_date: 2017-12-31}",
        {"CRM_AS_OF_DATE": "2018-06-30", "CRM_QUARANTINE_ERROR_SHARE": "0.4", "CRM_QUARANTINE_WARN_SHARE": ""},
    )
    assert settings.user_vars == {"as_of_date": dt.date(2017, 12, 31), "quarantine_error_share": 0.4}
    assert settings.explicit_vars == {"as_of_date": dt.date(2017, 12, 31)}
    assert vars_json(settings.user_vars) == '{"as_of_date": "2017-12-31", "quarantine_error_share": 0.4}'
    assert vars_flow({"as_of_date": dt.date(2017, 12, 31), "quarantine_error_share": 0.16}) == (
        "{as_of_date: 2017-12-31, quarantine_error_share: 0.16}"
    )


def test_json_vars_are_accepted_and_a_non_mapping_is_refused() -> None:
    assert load_settings('{"as_of_date": "2017-12-31"}', {}).user_vars == {"as_of_date": "2017-12-31"}
    with pytest.raises(SettingsError, match="mapping"):
        load_settings("as_of_date=2017-12-31", {})
    with pytest.raises(SettingsError, match="CRM_RAW_DIR"):
        load_settings(None, {"CRM_MAPPING": "mapping.yml"})


def test_relative_paths_resolve_against_the_project_root(tmp_path: Path) -> None:
    from crm_warehouse import PROJECT_ROOT

    settings = load_settings(None, {"CRM_RAW_DIR": "seeds/demo", "CRM_DUCKDB_PATH": str(tmp_path / "w.duckdb")})
    assert settings.raw_dir == str(PROJECT_ROOT / "seeds" / "demo")
    assert settings.app_copy == tmp_path / "crm_app.duckdb"


@pytest.mark.parametrize(
    ("share", "override"), [(40 / 258, 0.16), (0.37, 0.38), (0.29, 0.30), (0.2, 0.21), (0.999, 1.0), (1.0, 1.0)]
)
def test_the_override_is_the_smallest_whole_percent_above_the_share(share: float, override: float) -> None:
    assert share_above(share) == override
    assert share_above(share) > share or share == 1.0


def test_the_override_command_repeats_the_build_with_the_users_vars(tmp_path: Path) -> None:
    settings = load_settings(
        "{as_of_date: 2017-12-31}",
        {"CRM_RAW_DIR": str(tmp_path / "my export"), "CRM_RAW_FORMAT": "parquet", "CRM_DUCKDB_PATH": "w.duckdb"},
    )
    assert make_command(settings, {"quarantine_error_share": 0.4}) == (
        f"make build CRM_RAW_DIR='{tmp_path / 'my export'}' CRM_RAW_FORMAT=parquet"
        " VARS='{as_of_date: 2017-12-31, quarantine_error_share: 0.4}'"
    )


# --- the summary, from a hand-made warehouse ------------------------------------------------------------------

ACCOUNTING = """
create table main_intermediate.data_quality__row_accounting as select * from (values
    ('accounts', 10, 7, 2, 1, 0, 0, 0.1, 0.2),
    ('opportunities', 20, 10, 4, 5, 1, 2, 0.25, 0.2),
    ('users', 3, 3, 0, 0, 0, 0, 0.0, 0.0),
    ('tickets', 0, 0, 0, 0, 0, 0, 0.0, 0.0)
) as t(entity, raw_rows, valid_rows, flagged_rows, quarantined_rows, exact_duplicates_collapsed,
       superseded_versions, quarantine_share, flagged_share)
"""
QUARANTINE = """
create table main_intermediate.quarantine as select * from (values
    ('accounts', 'A9', 9, 'missing_required', 'account_name', null),
    ('opportunities', 'O1', 1, 'duplicate_key', 'opportunity_id', 'O1'),
    ('opportunities', 'O1', 2, 'duplicate_key', 'opportunity_id', 'O1'),
    ('opportunities', 'O7', 7, 'unparseable_value', 'created_at', null),
    ('opportunities', 'O8', 8, 'unparseable_value', 'created_at', 'x'),
    ('opportunities', 'O9', 9, 'missing_required', 'owner_user_id', null)
) as t(entity, source_key, source_row_number, reason, column_name, offending_value)
"""
VALUE_ISSUES = """
create table main_intermediate.data_quality__value_issues as select * from (values
    ('accounts', 'A2', 2, 'industry', 'unknown_enum', 'Aerospace', 'set_to_other'),
    ('accounts', 'A3', 3, 'industry', 'unknown_enum', 'Retial', 'set_to_other'),
    ('opportunities', 'O3', 3, 'product_id', 'orphan_reference', 'GTXPro', 'kept_unknown_reference'),
    ('opportunities', 'O4', 4, 'amount', 'unparseable_value', 'n/a', 'set_to_null'),
    ('opportunities', 'O5', 5, 'stage', 'unknown_enum', 'Engaging', 'set_to_other'),
    ('opportunities', 'O6', 6, 'amount', 'negative_amount', '-5', 'set_to_null')
) as t(entity, source_key, source_row_number, column_name, rule, raw_value, action)
"""


def _warehouse(path: Path, *statements: str) -> Path:
    with duckdb.connect(str(path)) as connection:
        connection.execute("create schema main_intermediate")
        for statement in statements:
            connection.execute(statement)
    return path


def test_the_summary_lists_counts_top_reasons_and_samples(tmp_path: Path) -> None:
    quality = read_quality(_warehouse(tmp_path / "w.duckdb", ACCOUNTING, QUARANTINE, VALUE_ISSUES))
    assert quality is not None
    lines = summary_lines(quality, {"opportunities": "deals.csv"}, warn_share=0.05)
    assert [line.split() for line in lines[2:5]] == [
        ["entity", "raw", "valid", "flagged", "quarantined", "share", "collapsed"],
        ["accounts", "10", "7", "2", "1", "10.0%", "0"],
        ["quarantined", "account_name", "missing_required", "1", "row", "e.g.", "row", "9,", "key", "A9:", "empty"],
    ]
    text = "\n".join(lines)
    assert "flagged      industry unknown_enum (set_to_other)" in text
    assert "2 rows  e.g. row 2, key A2: 'Aerospace'" in text
    # The mapped file name next to the entity; 2 + 2 + 1 quarantined and 1 collapsed.
    assert [line.split()[:8] for line in lines if line.startswith("opportunities")] == [
        ["opportunities", "(deals.csv)", "20", "10", "4", "5", "25.0%", "1"]
    ]
    # Per kind at most 3 reasons, most rows first; a sample with a value wins over an empty one (row 8, not 7).
    assert "created_at unparseable_value" in text and "e.g. row 8, key O8: 'x'" in text
    assert "(quarantined includes 2 older versions of a key)" in text
    # opportunities has 4 flag rules of 1 row each: the first 3 by name are listed.
    assert text.count("    flagged ") == 1 + 3
    assert "amount negative_amount (set_to_null)" in text and "amount unparseable_value" not in text
    assert "Every row valid (1 entity, raw rows): users 3" in text
    assert "No rows (built empty; metrics that need them are null): tickets" in text
    assert "Warning: quarantine share above quarantine_warn_share (0.05): accounts 10.0%, opportunities 25.0%" in text


def test_the_gate_message_names_only_entities_over_the_threshold(tmp_path: Path) -> None:
    quality = read_quality(_warehouse(tmp_path / "w.duckdb", ACCOUNTING, QUARANTINE, VALUE_ISSUES))
    assert quality is not None
    settings = load_settings(None, {"CRM_RAW_DIR": "/x", "CRM_DUCKDB_PATH": str(tmp_path / "w.duckdb")})
    text = "\n".join(quarantine_gate_lines(quality, 0.10, settings))
    assert "opportunities: 25.0% quarantined (5 of 20 rows), threshold 10%. Top reasons:" in text
    assert "accounts:" not in text  # 10.0% is not above 10%
    assert "make build CRM_RAW_DIR=/x VARS='{quarantine_error_share: 0.26}'" in text
    assert "select * from main_intermediate.quarantine where entity = 'opportunities'" in text


def test_the_gate_message_leaves_out_entities_with_fewer_quarantined_rows_than_the_minimum(tmp_path: Path) -> None:
    # opportunities: 25% of 20 rows, but 5 rows quarantined; accounts: 1 row at 10% (not above 10% anyway).
    quality = read_quality(_warehouse(tmp_path / "w.duckdb", ACCOUNTING, QUARANTINE, VALUE_ISSUES))
    assert quality is not None
    settings = load_settings(None, {"CRM_RAW_DIR": "/x", "CRM_DUCKDB_PATH": str(tmp_path / "w.duckdb")})
    assert "opportunities: 25.0%" in "\n".join(quarantine_gate_lines(quality, 0.10, settings, error_min_rows=5))
    text = "\n".join(quarantine_gate_lines(quality, 0.10, settings, error_min_rows=6))
    assert "opportunities:" not in text
    assert "(no entity is above the threshold in the row accounting" in text


def test_a_missing_interface_column_is_an_error_not_an_emptier_summary(tmp_path: Path) -> None:
    drop = "alter table main_intermediate.data_quality__row_accounting drop column flagged_rows"
    warehouse = _warehouse(tmp_path / "w.duckdb", ACCOUNTING, drop, QUARANTINE, VALUE_ISSUES)
    with pytest.raises(QualitySchemaError, match=r"data_quality__row_accounting has no column\(s\) flagged_rows"):
        read_quality(warehouse)


def test_a_warehouse_without_accounting_has_no_summary(tmp_path: Path) -> None:
    assert read_quality(tmp_path / "never_built.duckdb") is None
    assert read_quality(_warehouse(tmp_path / "w.duckdb", QUARANTINE)) is None


# --- the mapping step -----------------------------------------------------------------------------------------


@dataclass
class FakeMapped:
    raw_dir: Path
    raw_format: str = "csv"
    dbt_vars: dict[str, object] | None = None
    source_files: dict[str, str] | None = None
    absent_entities: list[str] | None = None


def _mapping_module(monkeypatch: pytest.MonkeyPatch, apply_mapping) -> None:
    module = types.ModuleType("crm_warehouse.mapping")

    class MappingError(Exception):
        pass

    module.MappingError = MappingError  # type: ignore[attr-defined]
    module.apply_mapping = lambda *args: apply_mapping(MappingError, *args)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "crm_warehouse.mapping", module)


def test_a_mapping_error_prints_its_message_and_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def fail(error, *args):
        raise error("mapping.yml, line 4: file deals.csv has no column 'deal_stage'")

    _mapping_module(monkeypatch, fail)
    settings = load_settings(
        None, {"CRM_RAW_DIR": str(tmp_path), "CRM_MAPPING": "m.yml", "CRM_DUCKDB_PATH": str(tmp_path / "w.duckdb")}
    )
    assert cli.build(settings) == 2
    captured = capsys.readouterr()
    assert captured.err == "mapping: mapping.yml, line 4: file deals.csv has no column 'deal_stage'\n"
    assert "Traceback" not in captured.out + captured.err


def test_the_mapped_extract_is_what_dbt_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def mapped(error, mapping_path, raw_dir, out_dir):
        calls.append((mapping_path, raw_dir, out_dir))
        return FakeMapped(out_dir, "csv", {"as_of_date": "2017-12-31"}, {"opportunities": "deals.csv"}, ["orders"])

    _mapping_module(monkeypatch, mapped)
    env = {"CRM_RAW_DIR": str(tmp_path / "export"), "CRM_MAPPING": str(tmp_path / "m.yml")}
    settings = load_settings(None, {**env, "CRM_DUCKDB_PATH": str(tmp_path / "wh" / "crm.duckdb")})
    extract = cli.mapped_extract(settings)
    assert calls == [(tmp_path / "m.yml", tmp_path / "export", tmp_path / "wh" / "mapped_extract")]
    assert extract == cli.Extract(
        str(tmp_path / "wh" / "mapped_extract"),
        "csv",
        {"as_of_date": "2017-12-31"},
        {"opportunities": "deals.csv"},
        ["orders"],
    )


def test_preflight_of_a_mapped_extract_is_quiet_only_about_entities_the_mapping_said_are_absent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extract = copy_demo_extract(tmp_path / "extract")
    (extract / "tickets.csv").unlink()
    (extract / "crm_logins.csv").unlink()
    assert cli.preflight_passes(cli.Extract(str(extract), "csv", absent_entities=["tickets"]))
    printed = capsys.readouterr().err
    assert "tickets" not in printed
    assert "WARNING: crm_logins.csv: optional entity crm_logins is absent" in printed
    # A required entity's missing file stays an error, whatever the mapping says.
    (extract / "accounts.csv").unlink()
    assert not cli.preflight_passes(cli.Extract(str(extract), "csv", absent_entities=["accounts"]))
    assert "ERROR: accounts.csv: required entity accounts is missing" in capsys.readouterr().err


# --- the gate on one key repeated 200,000 times (issue 10, item 13) -------------------------------------------

DUPLICATED_KEY_ROWS = 200_000


def test_a_gate_stop_on_one_repeated_key_says_which_entity_key_and_rows(tmp_path: Path) -> None:
    # 372 deals plus 200,000 more rows with the key OPP-0000001: the newest of its 200,001 versions is kept.
    raw = 372 + DUPLICATED_KEY_ROWS
    accounting = f"""
    create table main_intermediate.data_quality__row_accounting as select * from (values
        ('opportunities', {raw}, 372, 0, {DUPLICATED_KEY_ROWS}, 0, {DUPLICATED_KEY_ROWS},
         {DUPLICATED_KEY_ROWS / raw}, 0.0),
        ('users', 3, 3, 0, 0, 0, 0, 0.0, 0.0)
    ) as t(entity, raw_rows, valid_rows, flagged_rows, quarantined_rows, exact_duplicates_collapsed,
           superseded_versions, quarantine_share, flagged_share)
    """
    quarantine = f"""
    create table main_intermediate.quarantine as
    select 'opportunities' as entity, 'OPP-0000001' as source_key, range + 373 as source_row_number,
        'duplicate_key' as reason, 'opportunity_id' as column_name, 'OPP-0000001' as offending_value
    from range({DUPLICATED_KEY_ROWS})
    """
    quality = read_quality(_warehouse(tmp_path / "w.duckdb", accounting, quarantine))
    assert quality is not None
    settings = load_settings(None, {"CRM_RAW_DIR": "/x", "CRM_DUCKDB_PATH": str(tmp_path / "w.duckdb")})
    lines = quarantine_gate_lines(quality, 0.10, settings, {"opportunities": "deals.csv"})
    assert lines[2] == (
        "  opportunities (deals.csv): 99.8% quarantined (200,000 of 200,372 rows), threshold 10%. Top reasons:"
    )
    assert lines[3] == "     200,000  opportunity_id duplicate_key  e.g. row 373, key OPP-0000001: 'OPP-0000001'"
    assert lines[4] == (
        "  opportunities (deals.csv): duplicate key: 200,000 rows have the same opportunity_id as another row of"
        " the file but other values (all share opportunity_id 'OPP-0000001'); only the newest row of each key"
        " is kept, the older versions are quarantined."
    )


def test_duplicate_keys_over_many_keys_name_the_worst_one(tmp_path: Path) -> None:
    quality = read_quality(_warehouse(tmp_path / "w.duckdb", ACCOUNTING, QUARANTINE, VALUE_ISSUES))
    assert quality is not None
    (opportunities,) = [e for e in quality.entities if e.entity == "opportunities"]
    assert opportunities.duplicate_keys is not None
    assert (opportunities.duplicate_keys.rows, opportunities.duplicate_keys.keys) == (2, 1)
    extra = "insert into main_intermediate.quarantine values"
    warehouse = _warehouse(
        tmp_path / "w2.duckdb",
        ACCOUNTING,
        QUARANTINE,
        f"{extra} ('opportunities', 'O2', 3, 'duplicate_key', 'opportunity_id', 'O2')",
    )
    quality = read_quality(warehouse)
    assert quality is not None
    (opportunities,) = [e for e in quality.entities if e.entity == "opportunities"]
    from crm_warehouse.build.report import duplicate_keys_text

    assert duplicate_keys_text(opportunities.duplicate_keys) == (
        "duplicate key: 3 rows have the same opportunity_id as another row of the file but other values"
        " (2 different keys, most often opportunity_id 'O1' (2 rows)); only the newest row of each key is kept,"
        " the older versions are quarantined"
    )


# issue 10, items 1 and 3: the driver hands pre-flight's record counts to dbt, and a required entity without rows
# stops it before dbt unless the user's vars declare it absent.
def test_the_driver_passes_preflight_row_counts_and_declared_absent_entities(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    extract = copy_demo_extract(tmp_path / "extract")
    (extract / "order_items.csv").write_text((extract / "order_items.csv").read_text().splitlines()[0] + "\n")
    commands: list[list[str]] = []
    envs: list[Mapping[str, str]] = []

    def fake_build(
        command: list[str], env: Mapping[str, str], target_path: Path, pass_fds: tuple[int, ...] = ()
    ) -> DbtRun:
        commands.append(command)
        envs.append(env)
        return DbtRun(1, [])

    monkeypatch.setattr(cli, "run_dbt_build", fake_build)
    env = {"CRM_RAW_DIR": str(extract), "CRM_DUCKDB_PATH": str(tmp_path / "wh" / "crm.duckdb")}
    assert cli.build(load_settings(None, env)) == 1
    assert commands == []
    assert "ERROR: order_items.csv: required entity order_items has a header but no data rows" in (
        capsys.readouterr().err
    )
    assert cli.build(load_settings("{crm_absent_entities: [order_items]}", env)) == 1  # the fake dbt run failed
    (command,) = commands
    passed = json.loads(command[command.index("--vars") + 1])
    assert passed["crm_absent_entities"] == ["order_items"]
    # The counts go in an env var: as a dbt var they would make dbt re-parse the whole project on every new extract.
    assert "crm_preflight_row_counts" not in passed
    counts = json.loads(envs[0]["CRM_PREFLIGHT_ROW_COUNTS"])
    assert counts["order_items"] == 0
    assert counts["tickets"] == data_row_count(extract / "tickets.csv")
