"""Whether a value written in the mapping is one staging accepts for a contract column, as staging decides it."""

from __future__ import annotations

import re

import duckdb

from crm_warehouse.contract import Column

BOOLEANS = ("true", "t", "1", "yes", "y", "false", "f", "0", "no", "n")  # macro crm_cast_boolean
CASTS = {"date": "date", "decimal": "decimal(28, 6)", "integer": "bigint"}
ACTIONS = ("reject_row", "flag_value")


def normalized_enum(value: str) -> str:
    """What staging makes of an enum value (macro crm_cast_enum): 'Closed Won' -> 'closed_won'."""
    return value.strip().lower().replace(" ", "_").replace("-", "_")


def enum_sql(expression: str) -> str:
    return f"replace(replace(lower(trim({expression})), ' ', '_'), '-', '_')"


def value_problem(column: Column, value: str, connection: duckdb.DuckDBPyConnection) -> str | None:
    """Why staging would not accept `value` for `column` (None when it would)."""
    text = value.strip()
    if not text:
        return None
    kind = column.logical_type
    if kind == "enum" and normalized_enum(text) not in column.values:
        return f"is not one of the contract's values ({', '.join(column.values)})"
    if kind == "boolean" and text.lower() not in BOOLEANS:
        return "is not a boolean (true/false, 1/0, yes/no)"
    if kind == "currency" and not re.fullmatch(r"[A-Za-z]{3}", text):
        return "is not an ISO 4217 currency code (three letters, e.g. USD)"
    if kind == "timestamp":
        (parsed,) = connection.execute(
            "select coalesce(try_cast(? as timestamptz), try_cast(? as timestamp)) is not null", [text, text]
        ).fetchone()
        return None if parsed else "is not an ISO 8601 timestamp (2017-12-31 or 2017-12-31T09:30:00Z)"
    if kind in CASTS:
        (parsed,) = connection.execute(f"select try_cast(? as {CASTS[kind]}) is not null", [text]).fetchone()
        return None if parsed else f"is not a valid {kind}"
    return None


def literal_list(values: tuple[str, ...]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)
