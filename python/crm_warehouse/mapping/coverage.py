"""The data side of pre-flight: values of the user's files the build will quarantine or flag, counted per value.

Run on the mapped values (after value map and default), with the door's action for the column: a rejected value
is a warning (those rows will be quarantined), a flagged one a note (the rows are kept, the value mended).
"""

from __future__ import annotations

import duckdb

from crm_warehouse.contract import Column
from crm_warehouse.mapping.plan import EntityPlan, Plan
from crm_warehouse.mapping.problems import Problem, Severity
from crm_warehouse.mapping.spec import ColumnRule
from crm_warehouse.mapping.sql import missing, rule_expression
from crm_warehouse.mapping.values import BOOLEANS, enum_sql, literal_list

LISTED_VALUES = 10  # uncovered values named per column; the rest are counted


def _rows(count: int) -> str:
    return f"{count} row" + ("" if count == 1 else "s")


def _user_columns(rule: ColumnRule) -> str:
    return ", ".join(s.text or "" for s in rule.sources)


def _uncovered(
    plan: EntityPlan, column: Column, rule: ColumnRule, values: str, action: str, connection: duckdb.DuckDBPyConnection
) -> tuple[Severity, str] | None:
    """(severity, message) for the values of an enum or boolean column staging will not accept, or None."""
    if column.logical_type == "enum":
        invalid = f"{enum_sql('v')} not in ({literal_list(column.values)})"
    else:
        invalid = f"lower(trim(v)) not in ({literal_list(BOOLEANS)})"
    counts = connection.execute(
        f"select v, count(*) from ({values}) where not ({missing('v')}) and {invalid} group by v order by 2 desc, 1"
    ).fetchall()
    if not counts:
        return None
    listed = ", ".join(f"{value!r} ({_rows(count)})" for value, count in counts[:LISTED_VALUES])
    more = f" and {len(counts) - LISTED_VALUES} more" if len(counts) > LISTED_VALUES else ""
    kind = "contract values" if column.logical_type == "enum" else "booleans"
    covered = "the value map does not cover" if rule.values else "there is no value map for"
    severity: Severity
    if action != "flag_value":  # reject_row, or reject_if_required (rejected where the row needs the value)
        reason = "unknown_enum" if column.logical_type == "enum" else "unparseable_value"
        outcome, severity = f"those rows will be quarantined ({reason})", "warning"
    else:
        becomes = "'other'" if column.logical_type == "enum" else "null"
        outcome, severity = f"the rows are kept and the value becomes {becomes} (flag_value)", "note"
    message = f"{plan.entity.name}.{column.name}: values {covered} and that are not {kind}; {outcome}: {listed}{more}"
    return severity, message


def data_problems(
    plan: EntityPlan, mapping: Plan, mapping_file: str, connection: duckdb.DuckDBPyConnection
) -> list[Problem]:
    """Warnings and notes about the rows of one mapped entity."""
    entity, data_file = plan.entity, plan.mapping.file.text
    problems = []
    for column in entity.columns:
        rule = plan.rules.get(column.name)
        if rule is None or not rule.sources:
            continue
        key = f"{entity.name}.{column.name}"
        values = f"select {rule_expression(rule, mapping.extract_date)} as v from {plan.source}"
        if column.logical_type in ("enum", "boolean"):
            # The door's action on the column: the mapping's override, else contract meta and defaults.
            action = mapping.on_invalid.get(key) or entity.on_invalid(column.name, "unknown_enum")
            found = _uncovered(plan, column, rule, values, action, connection)
            if found:
                severity, message = found
                problems.append(Problem(severity, mapping_file, rule.line, message, data_file, _user_columns(rule)))
        if column.required or column.name in entity.primary_key:
            (empty,) = connection.execute(f"select count(*) from ({values}) where {missing('v')}").fetchone()
            if empty:
                message = (
                    f"{key}: {_rows(empty)} with no value in {_user_columns(rule)} and no default: "
                    "they will be quarantined (missing_required)"
                )
                problems.append(Problem("warning", mapping_file, rule.line, message, data_file, _user_columns(rule)))
    return problems
