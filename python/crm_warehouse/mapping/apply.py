"""Apply a mapping: pre-flight it, then write one contract-shaped CSV per entity with DuckDB."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from crm_warehouse.contract import Entity, load_contract
from crm_warehouse.mapping.checks import check_mapping
from crm_warehouse.mapping.plan import EntityPlan, Plan
from crm_warehouse.mapping.problems import MappingError, Problem
from crm_warehouse.mapping.spec import load_spec
from crm_warehouse.mapping.sql import copy_to_csv, describe, rule_expression, select_entity


@dataclass(frozen=True)
class MappedExtract:
    """The contract-shaped extract a mapping wrote, and what the build needs to know about it."""

    raw_dir: Path  # one <entity>.csv per entity the build reads
    raw_format: str
    dbt_vars: dict[str, object]  # crm_absent_entities, and crm_on_invalid when the mapping overrides any
    source_files: dict[str, str]  # entity -> the user's file it came from
    absent_entities: list[str]  # entities the export does not have (required ones are written header-only)
    row_counts: dict[str, int] = field(default_factory=dict)  # rows written per entity
    filled: dict[str, dict[str, str]] = field(default_factory=dict)  # entity -> contract column -> how it is filled
    problems: list[Problem] = field(default_factory=list)  # warnings and notes of pre-flight


def _write(connection: duckdb.DuckDBPyConnection, plan: EntityPlan, extract_date: str | None, out: Path) -> int:
    columns = [(c.name, rule_expression(plan.rules.get(c.name), extract_date)) for c in plan.entity.columns]
    (rows,) = connection.execute(copy_to_csv(select_entity(columns, plan.source), out)).fetchone()
    return int(rows)


def _write_header(entity: Entity, out: Path) -> None:
    with out.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerow(entity.column_names)


def _clear(out_dir: Path, contract: dict[str, Entity]) -> None:
    """Remove entity files an earlier run left, so an entity absent now is not read from a stale file."""
    for name in contract:
        for suffix in (".csv", ".parquet"):
            (out_dir / f"{name}{suffix}").unlink(missing_ok=True)


def _dbt_vars(plan: Plan) -> dict[str, object]:
    dbt_vars: dict[str, object] = {"crm_absent_entities": list(plan.absent)}
    if plan.on_invalid:
        dbt_vars["crm_on_invalid"] = dict(plan.on_invalid)
    return dbt_vars


def apply_mapping(mapping_path: Path, raw_dir: Path, out_dir: Path) -> MappedExtract:
    """Map the user's files in raw_dir onto the contract, into out_dir; MappingError lists every problem."""
    contract = load_contract()
    spec, problems = load_spec(mapping_path)
    if any(p.severity == "error" for p in problems):
        raise MappingError(problems)
    if out_dir.resolve() == raw_dir.resolve():
        raise MappingError(
            [Problem("error", str(mapping_path), None, f"the output directory {out_dir} must not be the raw directory")]
        )
    with duckdb.connect() as connection:
        # Output rows in input order: quarantine row numbers then still point at the user's data rows.
        connection.execute("set preserve_insertion_order = true")
        plan = check_mapping(spec, raw_dir, contract, connection)
        problems += plan.problems
        if any(p.severity == "error" for p in problems):
            raise MappingError(problems)
        out_dir.mkdir(parents=True, exist_ok=True)
        _clear(out_dir, contract)
        row_counts = {}
        for entity_plan in plan.written:
            out = out_dir / f"{entity_plan.entity.name}.csv"
            row_counts[entity_plan.entity.name] = _write(connection, entity_plan, plan.extract_date, out)
    for entity in plan.header_only:
        _write_header(entity, out_dir / f"{entity.name}.csv")
        row_counts[entity.name] = 0
    return MappedExtract(
        raw_dir=out_dir,
        raw_format="csv",
        dbt_vars=_dbt_vars(plan),
        source_files={p.entity.name: p.mapping.file.text or "" for p in plan.written},
        absent_entities=list(plan.absent),
        row_counts={name: row_counts[name] for name in contract if name in row_counts},
        problems=problems,
        filled={
            p.entity.name: {c.name: describe(p.rules.get(c.name), plan.extract_date) for c in p.entity.columns}
            for p in plan.written
        },
    )
