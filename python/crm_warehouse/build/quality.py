"""The data-quality tables of a built warehouse, read into plain records for the terminal summary.

Reads data_quality__row_accounting, quarantine and data_quality__value_issues (schema looked up, normally
main_intermediate). A table that is absent was not built; a table without a column this module needs means the
warehouse and this code disagree on the interface, which is an error, never a silently emptier summary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

ACCOUNTING = "data_quality__row_accounting"
QUARANTINE = "quarantine"
VALUE_ISSUES = "data_quality__value_issues"

REQUIRED_COLUMNS = {
    ACCOUNTING: (
        "entity",
        "raw_rows",
        "valid_rows",
        "flagged_rows",
        "quarantined_rows",
        "exact_duplicates_collapsed",
        "superseded_versions",
        "quarantine_share",
    ),
    QUARANTINE: ("entity", "source_key", "source_row_number", "reason", "column_name", "offending_value"),
    VALUE_ISSUES: ("entity", "source_key", "source_row_number", "column_name", "rule", "raw_value", "action"),
}
TOP_N = 3


class QualitySchemaError(RuntimeError):
    """A data-quality table lacks a column the summary needs."""


@dataclass(frozen=True)
class Issue:
    """One reason rows were quarantined (or one flag rule) on one column, with a sample row."""

    kind: str  # "quarantined" or "flagged"
    check: str  # quarantine reason or flag rule
    column: str
    rows: int
    sample_row: int
    sample_key: str | None
    sample_value: str | None
    action: str | None = None  # what a flag did to the value (set_to_null, ...)


@dataclass(frozen=True)
class DuplicateKeys:
    """Superseded versions of keys (quarantine reason duplicate_key): how many rows, keys, and the worst key."""

    column: str
    rows: int
    keys: int
    top_key: str
    top_key_rows: int


@dataclass(frozen=True)
class EntityQuality:
    entity: str
    raw_rows: int
    valid_rows: int
    flagged_rows: int
    quarantined_rows: int
    exact_duplicates_collapsed: int
    superseded_versions: int
    quarantine_share: float
    issues: list[Issue] = field(default_factory=list)
    duplicate_keys: DuplicateKeys | None = None

    @property
    def reasons(self) -> list[Issue]:
        return [i for i in self.issues if i.kind == "quarantined"]

    @property
    def flags(self) -> list[Issue]:
        return [i for i in self.issues if i.kind == "flagged"]

    @property
    def is_clean(self) -> bool:
        return self.flagged_rows == 0 and self.quarantined_rows == 0 and self.exact_duplicates_collapsed == 0


@dataclass(frozen=True)
class WarehouseQuality:
    entities: list[EntityQuality]
    quarantine_table: str  # schema-qualified, for the "inspect" hint
    value_issues_table: str | None


def _schema_of(connection: duckdb.DuckDBPyConnection, table: str) -> str | None:
    rows = connection.execute(
        "select table_schema from information_schema.tables where table_name = ? order by table_schema", [table]
    ).fetchall()
    schemas = [schema for (schema,) in rows]
    # dbt puts intermediate models in <target schema>_intermediate; prefer that over any other copy.
    preferred = [s for s in schemas if s.endswith("intermediate")]
    return (preferred or schemas or [None])[0]


def _qualified(connection: duckdb.DuckDBPyConnection, table: str) -> str | None:
    schema = _schema_of(connection, table)
    if schema is None:
        return None
    found = {
        name
        for (name,) in connection.execute(
            "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
            [schema, table],
        ).fetchall()
    }
    missing = [c for c in REQUIRED_COLUMNS[table] if c not in found]
    if missing:
        raise QualitySchemaError(
            f"{schema}.{table} has no column(s) {', '.join(missing)}: the data-quality summary needs them"
            " (the door's interface: valid/flagged/quarantined rows per entity, value issues per flagged value)"
        )
    return f'"{schema}"."{table}"'


def _issues(connection: duckdb.DuckDBPyConnection, sql: str, kind: str) -> dict[str, list[Issue]]:
    """Top issues per entity from a query of (entity, check, column, action, row, key, value, rows, rank)."""
    by_entity: dict[str, list[Issue]] = {}
    for entity, check, column, action, row, key, value, rows in connection.execute(sql, [TOP_N]).fetchall():
        issue = Issue(kind, check, column, rows, row, key, value, action)
        by_entity.setdefault(entity, []).append(issue)
    return by_entity


def _duplicate_keys(connection: duckdb.DuckDBPyConnection, quarantine: str) -> dict[str, DuplicateKeys]:
    sql = f"""
        with per_key as (
            select entity, column_name, source_key, count(*) as key_rows
            from {quarantine}
            where reason = 'duplicate_key'
            group by entity, column_name, source_key
        )
        select
            entity, column_name, sum(key_rows), count(*),
            first(source_key order by key_rows desc, source_key), max(key_rows)
        from per_key
        group by entity, column_name
        order by entity, sum(key_rows) desc
    """
    found: dict[str, DuplicateKeys] = {}
    for entity, column, rows, keys, top_key, top_rows in connection.execute(sql).fetchall():
        found.setdefault(entity, DuplicateKeys(column, int(rows), int(keys), str(top_key), int(top_rows)))
    return found


def _ranked(source: str, check: str, value: str, action: str) -> str:
    # One line per (entity, check, column): its row count and its first row with a value as the sample.
    return f"""
        with grouped as (
            select
                entity, {check} as check_name, column_name, {action} as action,
                source_row_number, source_key, {value} as sample_value,
                count(*) over (partition by entity, {check}, column_name) as issue_rows,
                row_number() over (
                    partition by entity, {check}, column_name
                    order by {value} is null, source_row_number
                ) as sample_rank
            from {source}
        ),
        samples as (select * from grouped where sample_rank = 1)
        select entity, check_name, column_name, action, source_row_number, source_key, sample_value, issue_rows
        from samples
        qualify row_number() over (partition by entity order by issue_rows desc, check_name, column_name) <= ?
        order by entity, issue_rows desc, check_name, column_name
    """


def read_quality(warehouse: Path) -> WarehouseQuality | None:
    """The summary's data, or None when the warehouse has no row accounting (never built that far)."""
    if not warehouse.is_file():
        return None
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        accounting = _qualified(connection, ACCOUNTING)
        quarantine = _qualified(connection, QUARANTINE)
        if accounting is None or quarantine is None:
            return None
        value_issues = _qualified(connection, VALUE_ISSUES)
        reasons = _issues(connection, _ranked(quarantine, "reason", "offending_value", "null"), "quarantined")
        flags = (
            _issues(connection, _ranked(value_issues, "rule", "raw_value", "action"), "flagged") if value_issues else {}
        )
        duplicates = _duplicate_keys(connection, quarantine)
        rows = connection.execute(
            f"select {', '.join(REQUIRED_COLUMNS[ACCOUNTING])} from {accounting} order by entity"
        ).fetchall()
    entities = [
        EntityQuality(
            *row,  # type: ignore[arg-type]
            issues=reasons.get(row[0], []) + flags.get(row[0], []),
            duplicate_keys=duplicates.get(row[0]),
        )
        for row in rows
    ]
    return WarehouseQuality(entities, quarantine.replace('"', ""), value_issues and value_issues.replace('"', ""))


SOURCE_ACCOUNTING = "data_quality__source_row_accounting"


@dataclass(frozen=True)
class SourceTableRows:
    """Where the rows of one CRM export table went (issue 11): read = excluded + mapped."""

    source_table: str
    entity: str
    rows_read: int
    rows_excluded: int
    exclusion_reason: str | None
    rows_mapped: int


def read_source_accounting(warehouse: Path) -> list[SourceTableRows]:
    """The rows of data_quality__source_row_accounting (none in a contract build, or when it was not built)."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        schema = _schema_of(connection, SOURCE_ACCOUNTING)
        if schema is None:
            return []
        rows = connection.execute(
            "select source_table, entity, rows_read, rows_excluded, exclusion_reason, rows_mapped"
            f' from "{schema}"."{SOURCE_ACCOUNTING}" order by entity, source_table'
        ).fetchall()
    return [SourceTableRows(*row) for row in rows]
