"""Issue 11 plumbing in the build driver: CRM_SOURCE and CRM_SOURCE_FILE_PATTERN settings, the source
pre-flight (each required table of the source YAML exists with its columns) and the per-source-table lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm_warehouse.build import cli
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
