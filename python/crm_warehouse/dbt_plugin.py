"""dbt-duckdb plugin (profiles.yml `plugins:`): registers crm_hmac(text) -> text on every dbt connection.

DuckDB has no HMAC function; staging hashes PII with this one (macro crm_keyed_hash), so the key never appears
in compiled SQL or in a view definition. Only tables hold its results: a view calling it would not open outside
dbt, where the function is not registered.
"""

from __future__ import annotations

from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin
from duckdb import DuckDBPyConnection

from crm_warehouse.pii import pii_hash, pii_key, warn_if_demo_key

FUNCTION_NAME = "crm_hmac"


class Plugin(BasePlugin):
    def initialize(self, plugin_config: dict[str, Any]) -> None:
        self._key, is_demo = pii_key()
        warn_if_demo_key(is_demo)

    def configure_connection(self, conn: DuckDBPyConnection) -> None:
        key = self._key
        conn.create_function(
            FUNCTION_NAME,
            lambda value: pii_hash(key, value),
            ["VARCHAR"],
            "VARCHAR",
            side_effects=False,
        )
