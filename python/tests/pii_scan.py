"""Scanning a DuckDB file for raw personal data: every text column of every table and view, against the raw
values of an extract's PII columns (logical_type pii in the contract)."""

from __future__ import annotations

import contextlib
import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from crm_warehouse.contract import load_contract

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"\+?\d[\d().\s-]{4,}\d")
WORD = re.compile(r"[\w'-]+")
# Attached under the catalog name dbt built it as, so a view naming crm.<schema>.<table> still resolves in a copy.
CATALOG = "crm"


@dataclass(frozen=True)
class Finding:
    relation: str  # schema.table
    column: str
    value: str  # the raw PII value found
    text: str  # the text it was found in (cut to 200 characters)


def raw_pii_values(extract: Path) -> set[str]:
    """The trimmed, lower-cased non-empty values of every PII column of every entity file in extract."""
    values: set[str] = set()
    for entity in load_contract().values():
        pii = [c.name for c in entity.columns if c.logical_type == "pii"]
        path = extract / f"{entity.name}.csv"
        if not pii or not path.is_file():
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                values.update(v.strip().lower() for name in pii if (v := row.get(name) or "").strip())
    return values


def _candidates(text: str) -> set[str]:
    """Pieces of a text that could be a whole PII value: the text itself, each JSON string in it, each email-
    and phone-shaped token, and each run of two or three words (a full name inside a longer text)."""
    lowered = text.strip().lower()
    found = {lowered, *EMAIL.findall(lowered), *(p.strip() for p in PHONE.findall(lowered))}
    if lowered.startswith(("{", "[")):
        with contextlib.suppress(json.JSONDecodeError):
            found |= _json_strings(json.loads(lowered))
    words = WORD.findall(lowered)
    for size in (2, 3):
        found.update(" ".join(words[i : i + size]) for i in range(len(words) - size + 1))
    return found


def _json_strings(value: object) -> set[str]:
    if isinstance(value, str):
        return {value.strip()}
    if isinstance(value, dict):
        return set().union(*(_json_strings(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_json_strings(v) for v in value)) if value else set()
    return set()


def text_columns(connection: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    """(schema, table or view, column) of every text column in the attached file."""
    return connection.execute(
        "select table_schema, table_name, column_name from information_schema.columns"
        " where table_catalog = ? and (data_type like 'VARCHAR%' or data_type = 'JSON')"
        " order by 1, 2, 3",
        [CATALOG],
    ).fetchall()


def scan(database: Path, pii: set[str]) -> list[Finding]:
    """Every place a raw PII value sits in a text column of database; a view that cannot be read fails the scan."""
    findings: list[Finding] = []
    with duckdb.connect() as connection:
        connection.execute(f"attach '{database}' as {CATALOG} (read_only)")
        for schema, table, column in text_columns(connection):
            relation = f'{CATALOG}."{schema}"."{table}"'
            rows = connection.execute(f'select distinct "{column}" from {relation} where "{column}" is not null')
            for (cell,) in rows.fetchall():
                for text in cell if isinstance(cell, list) else [cell]:  # a varchar[] column: each element
                    for value in _candidates(text) & pii:
                        findings.append(Finding(f"{schema}.{table}", column, value, text[:200]))
    return findings


def relations(database: Path) -> list[tuple[str, str, str]]:
    """(schema, name, table type) of every table and view in database."""
    with duckdb.connect() as connection:
        connection.execute(f"attach '{database}' as {CATALOG} (read_only)")
        return connection.execute(
            "select table_schema, table_name, table_type from information_schema.tables where table_catalog = ?"
            " order by 1, 2",
            [CATALOG],
        ).fetchall()


def stored_raw_values(connection: duckdb.DuckDBPyConnection, values: set[str]) -> list[str]:
    """schema.table.column of every text column of a stored table (not a view) holding one of `values` as a whole
    (trimmed, lower-cased): raw personal data the warehouse file itself would keep."""
    columns = connection.execute(
        "select c.table_schema, c.table_name, c.column_name from information_schema.columns c"
        " join information_schema.tables t using (table_catalog, table_schema, table_name)"
        " where t.table_type = 'BASE TABLE' and c.data_type = 'VARCHAR'"
    ).fetchall()
    wanted = sorted(values)
    found = []
    for schema, table, column in columns:
        (hits,) = connection.execute(
            f'select count(*) from "{schema}"."{table}" where lower(trim("{column}")) in (select unnest(?))', [wanted]
        ).fetchone()
        if hits:
            found.append(f"{schema}.{table}.{column}")
    return found
