"""dbt-duckdb plugin (profiles.yml `plugins:`): registers crm_hmac(text) -> text on every dbt connection, and
applies the engine's resource limits from the environment (CRM_MEMORY_LIMIT, CRM_TEMP_DIRECTORY).

DuckDB has no HMAC function; staging hashes PII with this one (macro crm_keyed_hash), so the key never appears
in compiled SQL or in a view definition. Only tables hold its results: a view calling it would not open outside
dbt, where the function is not registered.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from dbt.adapters.duckdb.credentials import DuckDBCredentials
from dbt.adapters.duckdb.plugins import BasePlugin
from duckdb import DuckDBPyConnection

from crm_warehouse.pii import pii_hash, pii_key, warn_if_demo_key

FUNCTION_NAME = "crm_hmac"
# Environment variable -> DuckDB setting, applied when dbt opens the database. Unset: DuckDB's defaults (80% of
# RAM; spill files in <database>.tmp). A large extract on a small machine sets a lower memory_limit and a
# temp_directory on a disk with room, so big joins and sorts spill instead of failing.
RESOURCE_SETTINGS = {"CRM_MEMORY_LIMIT": "memory_limit", "CRM_TEMP_DIRECTORY": "temp_directory"}


def resource_settings(environ: Mapping[str, str]) -> dict[str, str]:
    """The DuckDB settings the environment asks for (a blank variable counts as unset)."""
    return {
        setting: environ[name].strip() for name, setting in RESOURCE_SETTINGS.items() if environ.get(name, "").strip()
    }


class Plugin(BasePlugin):
    def initialize(self, plugin_config: dict[str, Any]) -> None:
        self._key, is_demo = pii_key()
        warn_if_demo_key(is_demo)

    def update_connection_config(self, creds: DuckDBCredentials, config: dict[str, Any]) -> None:
        config.update(resource_settings(os.environ))

    def configure_connection(self, conn: DuckDBPyConnection) -> None:
        key = self._key
        conn.create_function(
            FUNCTION_NAME,
            lambda value: pii_hash(key, value),
            ["VARCHAR"],
            "VARCHAR",
            side_effects=False,
        )
