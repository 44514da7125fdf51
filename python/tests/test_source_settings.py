"""Issue 11 plumbing in the build driver: CRM_SOURCE and CRM_SOURCE_FILE_PATTERN settings, the source
pre-flight (each required table of the source YAML exists with its columns) and the per-source-table lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm_warehouse.build import cli
from crm_warehouse.build.file_names import detected_file_pattern
from crm_warehouse.build.quality import SourceTableRows
from crm_warehouse.build.report import source_accounting_lines
from crm_warehouse.build.settings import SettingsError, load_settings


def test_crm_source_defaults_to_contract_and_rejects_other_values() -> None:
    assert load_settings(None, {}).crm_source == "contract"
    assert load_settings(None, {"CRM_SOURCE": " Salesforce "}).crm_source == "salesforce"
    with pytest.raises(SettingsError, match="contract, salesforce, hubspot"):
        load_settings(None, {"CRM_SOURCE": "pipedrive"})
    with pytest.raises(SettingsError, match=r"\{table\}"):
        load_settings(None, {"CRM_SOURCE_FILE_PATTERN": "sf_data"})


def _settings(tmp_path: Path, pattern: str) -> object:
    return load_settings(
        None,
        {"CRM_SOURCE": "salesforce", "CRM_RAW_DIR": str(tmp_path), "CRM_SOURCE_FILE_PATTERN": pattern},
    )


def test_source_preflight_names_a_missing_table_and_a_missing_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    required = cli.source_tables("salesforce")
    assert required is not None and "opportunity" in required
    settings = _settings(tmp_path, "sf_{table}_data")
    assert not cli.source_preflight_passes(settings)  # type: ignore[arg-type]
    assert "sf_opportunity_data.csv: missing" in capsys.readouterr().err
    # Every required column but is_won.
    header = [column for column in required["opportunity"] if column != "is_won"]
    (tmp_path / "sf_opportunity_data.csv").write_text(",".join(header) + "\n")
    assert not cli.source_preflight_passes(settings)  # type: ignore[arg-type]
    assert "lacks column(s) is_won" in capsys.readouterr().err
    (tmp_path / "sf_opportunity_data.csv").write_text(",".join([*header, "is_won"]) + "\n")
    for table, columns in required.items():
        if table != "opportunity":
            (tmp_path / f"sf_{table}_data.csv").write_text(",".join(columns) + "\n")
    assert cli.source_preflight_passes(settings)  # type: ignore[arg-type]


def test_source_accounting_lines_say_read_left_out_and_mapped() -> None:
    rows = [SourceTableRows("opportunity", "opportunities", 10, 3, "is_deleted", 7)]
    lines = source_accounting_lines("salesforce", rows)
    assert "read       10  left out       3 (is_deleted)  mapped        7 -> opportunities" in lines[-1]
    assert source_accounting_lines("salesforce", []) == []


def _touch(directory: Path, *names: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name in names:
        (directory / name).write_text("id\n")
    return directory


def test_the_file_name_pattern_is_detected_only_when_exactly_one_fits_every_table(tmp_path: Path) -> None:
    tables = ["account", "user", "user_role"]
    fivetran = _touch(tmp_path / "fivetran", "sf_account_data.csv", "sf_user_data.csv", "sf_user_role_data.csv")
    assert detected_file_pattern(fivetran, tables, "csv") == "sf_{table}_data"
    # Plain names need no pattern; a parquet export is matched on .parquet, not on its .csv neighbours.
    plain = _touch(tmp_path / "plain", "account.csv", "user.csv", "user_role.csv")
    assert detected_file_pattern(plain, tables, "csv") is None
    assert detected_file_pattern(fivetran, tables, "parquet") is None
    # One table short under every candidate: no pattern, so pre-flight names the missing files.
    partial = _touch(tmp_path / "partial", "sf_account_data.csv", "sf_user_role_data.csv")
    assert detected_file_pattern(partial, tables, "csv") is None
    # Two full sets (an old and a new export side by side): ambiguous, nothing is guessed.
    both = _touch(tmp_path / "both", *(f"{p}_{t}.csv" for p in ("old", "new") for t in tables))
    assert detected_file_pattern(both, tables, "csv") is None


def test_the_build_reads_a_detected_pattern_and_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    required = cli.source_tables("salesforce")
    assert required is not None
    for table, columns in required.items():
        (tmp_path / f"export_{table}.csv").write_text(",".join(columns) + "\n")
    settings = load_settings(None, {"CRM_SOURCE": "salesforce", "CRM_RAW_DIR": str(tmp_path)})
    detected = cli.with_detected_file_pattern(settings)
    assert detected.source_file_pattern == "export_{table}"
    assert "files are named export_{table}.csv (detected" in capsys.readouterr().err
    assert cli.source_preflight_passes(detected)
    # A pattern the user set is kept as set, even when another would fit.
    chosen = load_settings(
        None, {"CRM_SOURCE": "salesforce", "CRM_RAW_DIR": str(tmp_path), "CRM_SOURCE_FILE_PATTERN": "sf_{table}"}
    )
    assert cli.with_detected_file_pattern(chosen).source_file_pattern == "sf_{table}"
