"""Read-only access to the published warehouse: allow-listed marts, parameterised filters, cached results.

Identifiers (tables, columns) come only from MARTS and the table's own column list in the warehouse; every value
from a widget is passed as a bound parameter. Queries run on a read-only connection kept per version of the file
(its mtime), and the result cache key includes the mtime, so an atomic swap by `python -m crm_warehouse.publish`
is picked up at once.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from crm_warehouse import PROJECT_ROOT
from crm_warehouse.publish import APP_TABLES, DEFAULT_TARGET

# The marts the app may read (schema main), and nothing else: the published copy holds only these.
MARTS: frozenset[str] = APP_TABLES


class WarehouseMissingError(RuntimeError):
    """The published warehouse file does not exist yet."""


def warehouse_path() -> Path:
    """The published read-only copy (env CRM_APP_DUCKDB), relative paths against the project root."""
    path = Path(os.environ.get("CRM_APP_DUCKDB") or DEFAULT_TARGET)
    return path if path.is_absolute() else PROJECT_ROOT / path


def warehouse_mtime() -> float:
    path = warehouse_path()
    if not path.is_file():
        raise WarehouseMissingError(str(path))
    return path.stat().st_mtime


_CONNECTIONS: dict[str, tuple[float, duckdb.DuckDBPyConnection]] = {}
_CONNECTIONS_LOCK = threading.Lock()


def _connection(path: str, mtime: float) -> duckdb.DuckDBPyConnection:
    """One read-only connection per file and version (opening one costs more than a demo query). A swapped-in
    file (new mtime) closes the old connection first: DuckDB hands out the open database of a path again, so the
    old one must go for the new file to be read."""
    with _CONNECTIONS_LOCK:
        held = _CONNECTIONS.get(path)
        if held is not None and held[0] == mtime:
            return held[1]
        if held is not None:
            held[1].close()
        connection = duckdb.connect(path, read_only=True)
        _CONNECTIONS[path] = (mtime, connection)
        return connection


def read_only(path: str, sql: str, params: Sequence[object] | dict[str, object]) -> pd.DataFrame:
    """Run one query on its own cursor (cursors of a connection may run from several threads)."""
    with _connection(path, os.stat(path).st_mtime).cursor() as cursor:
        return cursor.execute(sql, params if isinstance(params, dict) else list(params)).df()


@st.cache_data(show_spinner=False, max_entries=512)
def _fetch(path: str, mtime: float, sql: str, params: tuple[object, ...]) -> pd.DataFrame:
    # mtime is part of the cache key only: a republished file gets fresh results.
    del mtime
    return read_only(path, sql, params)


@st.cache_data(show_spinner=False, max_entries=512)
def fetch_named(path: str, mtime: float, sql: str, params: tuple[tuple[str, object], ...]) -> pd.DataFrame:
    """A compiled metric query with named parameters ($segment, ...), cached like _fetch."""
    del mtime
    return read_only(path, sql, dict(params))


@st.cache_data(show_spinner=False)
def _columns(path: str, mtime: float, table: str) -> tuple[str, ...]:
    del mtime
    frame = read_only(
        path,
        "select column_name from information_schema.columns where table_schema = 'main' and table_name = ? "
        "order by ordinal_position",
        [table],
    )
    return tuple(frame["column_name"])


def table_columns(table: str) -> tuple[str, ...]:
    if table not in MARTS:
        raise ValueError(f"{table!r} is not an allow-listed mart")
    return _columns(str(warehouse_path()), warehouse_mtime(), table)


def _column(table: str, column: str) -> str:
    if column not in table_columns(table):
        raise ValueError(f"{table}.{column} is not a column of the mart")
    return f'"{column}"'


@dataclass(frozen=True)
class Where:
    """Conditions on one mart: equals / in-list / inclusive range, all bound as parameters."""

    equals: dict[str, object] = field(default_factory=dict)
    isin: dict[str, Sequence[object]] = field(default_factory=dict)
    between: dict[str, tuple[date | None, date | None]] = field(default_factory=dict)


def select(
    table: str,
    columns: Sequence[str] | None = None,
    where: Where | None = None,
    order_by: Sequence[str] = (),
    limit: int | None = None,
) -> pd.DataFrame:
    """`select <cols> from main.<table> where ... order by ...` with allow-listed identifiers and bound values."""
    cols = ", ".join(_column(table, c) for c in columns) if columns else "*"
    if table not in MARTS:
        raise ValueError(f"{table!r} is not an allow-listed mart")
    clauses: list[str] = []
    params: list[object] = []
    where = where or Where()
    for col, value in where.equals.items():
        clauses.append(f"{_column(table, col)} = ?")
        params.append(value)
    for col, values in where.isin.items():
        if not values:
            continue
        clauses.append(f"{_column(table, col)} in ({', '.join('?' for _ in values)})")
        params.extend(values)
    for col, (low, high) in where.between.items():
        if low is not None:
            clauses.append(f"{_column(table, col)} >= ?")
            params.append(low)
        if high is not None:
            clauses.append(f"{_column(table, col)} <= ?")
            params.append(high)
    sql = f"select {cols} from main.{table}"
    if clauses:
        sql += " where " + " and ".join(clauses)
    if order_by:
        sql += " order by " + ", ".join(_column(table, c) for c in order_by)
    if limit is not None:
        sql += " limit ?"
        params.append(int(limit))
    return _fetch(str(warehouse_path()), warehouse_mtime(), sql, tuple(params))


def distinct(table: str, column: str, where: Where | None = None) -> list[object]:
    """Sorted non-null distinct values of an allow-listed column (for filter options)."""
    frame = select(table, [column], where)
    return sorted(v for v in frame[column].dropna().unique().tolist())
