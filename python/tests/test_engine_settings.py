"""The engine's resource limits come from the environment (issue 12): CRM_MEMORY_LIMIT and CRM_TEMP_DIRECTORY reach
every DuckDB connection dbt opens (python/crm_warehouse/dbt_plugin.py), so a large extract on a small machine can
spill to a disk with room instead of failing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from dbt_helpers import assert_ok, run_dbt

from crm_warehouse import PROJECT_ROOT
from crm_warehouse.dbt_plugin import resource_settings

SETTINGS_QUERY = (
    "select current_setting('memory_limit') as memory_limit, current_setting('temp_directory') as temp_directory"
)


def shown_settings(tmp_path: Path) -> dict[str, str]:
    result = run_dbt(
        tmp_path, PROJECT_ROOT / "seeds" / "demo", "show", "--quiet", "--inline", SETTINGS_QUERY, "--output", "json"
    )
    assert_ok(result)
    document = result.stdout[result.stdout.index("{") :]
    (row,) = json.loads(document)["show"]
    return row


def test_memory_limit_and_temp_directory_reach_dbts_connection(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spill = tmp_path / "spill"
    monkeypatch.setenv("CRM_MEMORY_LIMIT", "1GB")
    monkeypatch.setenv("CRM_TEMP_DIRECTORY", str(spill))
    # DuckDB reads 1GB as 10^9 bytes and shows it in binary units: 10^9 / 2^20 = 953.67 MiB, printed 953.6 MiB.
    assert shown_settings(tmp_path) == {"memory_limit": "953.6 MiB", "temp_directory": str(spill)}


def test_blank_or_unset_variables_leave_duckdbs_defaults() -> None:
    assert resource_settings({"CRM_MEMORY_LIMIT": " ", "PATH": "/bin"}) == {}
    assert resource_settings({"CRM_MEMORY_LIMIT": " 2GB "}) == {"memory_limit": "2GB"}
