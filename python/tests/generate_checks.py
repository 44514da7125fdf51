"""Contract checks of a generated extract, shared by the generator tests (independent of the generator)."""

from __future__ import annotations

import csv
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow.parquet as pq

from crm_warehouse.contract import Entity, load_contract

TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DECIMAL = re.compile(r"^\d+(\.\d+)?$")
INTEGER = re.compile(r"^\d+$")


def read_extract(directory: Path, fmt: str = "csv") -> dict[str, tuple[list[str], list[dict[str, str | None]]]]:
    """{entity: (header, rows)}; empty CSV fields and Parquet nulls both read as None."""
    out = {}
    for name in load_contract():
        path = directory / f"{name}.{fmt}"
        if fmt == "csv":
            with path.open(newline="") as fh:
                reader = csv.reader(fh)
                header = next(reader)
                rows = [{k: (v if v != "" else None) for k, v in zip(header, r, strict=True)} for r in reader]
        else:
            table = pq.read_table(path)
            header = table.column_names
            rows = table.to_pylist()
        out[name] = (header, rows)
    return out


def _problems_of_value(col, value: str, end: datetime) -> str | None:
    t = col.logical_type
    if t == "timestamp":
        try:
            parsed = datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        except ValueError:
            parsed = None
        if not TIMESTAMP.match(value) or parsed is None:
            return "not an ISO UTC timestamp"
        if parsed >= end:
            return "after the extract end"
    elif t == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            return "not a date"
        if not DATE.match(value):
            return "not a date"
    elif t == "decimal" and not DECIMAL.match(value):
        return "not a non-negative decimal"
    elif t == "integer" and not INTEGER.match(value):
        return "not a non-negative integer"
    elif t == "boolean" and value not in ("true", "false"):
        return "not a boolean"
    elif t == "enum" and value not in col.values:
        return "not an allowed value"
    elif t == "id" and value != value.strip().upper():
        return "id not normalised"
    return None


def contract_violations(data, end_date: date, limit: int = 20) -> list[str]:
    """Every rule of the contract a clean extract must satisfy: types, formats, required, enums,
    foreign keys, not_before, currencies in fx_rates, unique keys, no timestamp after the end date."""
    contract: dict[str, Entity] = load_contract()
    end = datetime(end_date.year, end_date.month, end_date.day, tzinfo=UTC).timestamp() + 86_400
    end_dt = datetime.fromtimestamp(end, UTC)
    keys = {(name, c.name): {r[c.name] for r in data[name][1]} for name, e in contract.items() for c in e.columns}
    currencies = keys[("fx_rates", "currency")]
    issues: list[str] = []
    for name, entity in contract.items():
        rows = data[name][1]
        pk = entity.primary_key
        seen = {tuple(r[k] for k in pk) for r in rows}
        if len(seen) != len(rows):
            issues.append(f"{name}: duplicate primary key values")
        for i, row in enumerate(rows):
            for col in entity.columns:
                v = row[col.name]
                where = f"{name} row {i + 1} column {col.name} value {v!r}"
                if v is None:
                    if col.required or (col.required_if and row[col.required_if] == "true"):
                        issues.append(f"{where}: required")
                    continue
                problem = _problems_of_value(col, v, end_dt)
                if problem:
                    issues.append(f"{where}: {problem}")
                if col.references:
                    ref_entity, ref_col = col.references.split(".")
                    if v not in keys[(ref_entity, ref_col)]:
                        issues.append(f"{where}: orphan reference to {col.references}")
                if col.logical_type == "currency" and v not in currencies:
                    issues.append(f"{where}: currency not in fx_rates")
                if col.not_before and row[col.not_before] is not None and v < row[col.not_before]:
                    issues.append(f"{where}: before {col.not_before} {row[col.not_before]!r}")
            if len(issues) > limit:
                return issues
    return issues
