"""What dbt already knows about each mart: its relation, columns, keys and category sets."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crm_warehouse.validate.expectations import Expect


@dataclass
class Mart:
    name: str
    schema: str
    columns: dict[str, dict[str, Any]]  # column name -> its meta
    expectations: list[Expect] = field(default_factory=list)
    core_parents: set[str] = field(default_factory=set)  # core dims/facts it is built from

    @property
    def relation(self) -> str:
        return f'"{self.schema}"."{self.name}"'


def _from_test(test: dict[str, Any]) -> Expect | None:
    """The GX twin of a dbt generic test, so a key or category set is declared once (in dbt YAML)."""
    meta = test.get("test_metadata") or {}
    kwargs = meta.get("kwargs", {})
    column = kwargs.get("column_name")
    why = f"dbt test {meta.get('name')}"
    match meta.get("name"):
        case "unique" if column:
            return Expect("ExpectColumnValuesToBeUnique", {"column": column}, why)
        case "not_null" if column:
            return Expect("ExpectColumnValuesToNotBeNull", {"column": column}, why)
        case "accepted_values" if column:
            return Expect("ExpectColumnValuesToBeInSet", {"column": column, "value_set": kwargs["values"]}, why)
        case "accepted_range" if column:
            bounds = {"min_value": kwargs.get("min_value"), "max_value": kwargs.get("max_value")}
            return Expect("ExpectColumnValuesToBeBetween", {"column": column, **bounds}, why)
        case "unique_combination_of_columns":
            columns = kwargs["combination_of_columns"]
            if len(columns) == 1:  # GX's compound expectation wants two or more columns
                return Expect("ExpectColumnValuesToBeUnique", {"column": columns[0]}, why)
            return Expect("ExpectCompoundColumnsToBeUnique", {"column_list": columns}, why)
    return None


# The check constraints the mart YAML writes (a column's accepted range or value set, enforced by the engine).
_BETWEEN = re.compile(r"^(?P<column>\w+) between (?P<low>-?[\d.]+) and (?P<high>-?[\d.]+)$")
_AT_LEAST = re.compile(r"^(?P<column>\w+) >= (?P<low>-?[\d.]+)$")
_IN_SET = re.compile(r"^(?P<column>\w+) in \((?P<values>.*)\)$")
_LITERAL = re.compile(r"'((?:[^']|'')*)'|([^,\s]+)")


def _number(text: str) -> int | float:
    return float(text) if "." in text else int(text)


def _sql_literal(quoted: str, bare: str) -> str | int | float | bool:
    """One SQL literal of an `in (...)` list: 'text' (with '' for a quote), a number, true or false."""
    if not bare:
        return quoted.replace("''", "'")
    if bare.lower() in ("true", "false"):
        return bare.lower() == "true"
    return _number(bare)


def _from_constraint(column: str, constraint: dict[str, Any]) -> Expect | None:
    """The GX twin of an enforced column constraint, so the gate checks the published mart by the same rule."""
    why = f"dbt constraint {constraint.get('type')}"
    if constraint.get("type") == "not_null":
        return Expect("ExpectColumnValuesToNotBeNull", {"column": column}, why)
    if constraint.get("type") != "check":
        return None
    expression = str(constraint.get("expression") or "").strip()
    if (match := _BETWEEN.match(expression)) and match["column"] == column:
        bounds = {"min_value": _number(match["low"]), "max_value": _number(match["high"])}
        return Expect("ExpectColumnValuesToBeBetween", {"column": column, **bounds}, why)
    if (match := _AT_LEAST.match(expression)) and match["column"] == column:
        bounds = {"min_value": _number(match["low"]), "max_value": None}
        return Expect("ExpectColumnValuesToBeBetween", {"column": column, **bounds}, why)
    if (match := _IN_SET.match(expression)) and match["column"] == column:
        values = [_sql_literal(quoted, bare) for quoted, bare in _LITERAL.findall(match["values"])]
        return Expect("ExpectColumnValuesToBeInSet", {"column": column, "value_set": values}, why)
    return None


def _core_ancestors(nodes: dict[str, Any], unique_id: str) -> set[str]:
    """Names of the core dims/facts (models/marts/core) a model is built from, directly or not."""
    found: set[str] = set()
    stack = list(nodes[unique_id].get("depends_on", {}).get("nodes", []))
    seen: set[str] = set()
    while stack:
        parent = stack.pop()
        if parent in seen or parent not in nodes:
            continue
        seen.add(parent)
        node = nodes[parent]
        if node["fqn"][1:3] == ["marts", "core"]:
            found.add(node["alias"] or node["name"])
        else:
            stack.extend(node.get("depends_on", {}).get("nodes", []))
    return found


def load_marts(manifest_path: Path) -> dict[str, Mart]:
    """Every model under models/marts/, with the expectations its dbt tests imply."""
    manifest = json.loads(manifest_path.read_text())
    marts: dict[str, Mart] = {}
    by_id: dict[str, Mart] = {}
    for unique_id, node in manifest["nodes"].items():
        if node["resource_type"] != "model" or node["fqn"][1:2] != ["marts"]:
            continue
        columns = {name: col.get("meta") or {} for name, col in node["columns"].items()}
        mart = Mart(node["alias"] or node["name"], node["schema"], columns)
        mart.core_parents = _core_ancestors(manifest["nodes"], unique_id)
        for column_name, column in node["columns"].items():
            for constraint in column.get("constraints") or []:
                if (expectation := _from_constraint(column_name, constraint)) is not None:
                    mart.expectations.append(expectation)
        marts[mart.name] = mart
        by_id[unique_id] = mart
    for node in manifest["nodes"].values():
        if node["resource_type"] != "test" or node.get("attached_node") not in by_id:
            continue
        config = node.get("config", {})
        if config.get("where") or str(config.get("severity", "error")).lower() == "warn":
            continue  # a filtered or warn-only dbt test is not a hard rule on the whole mart
        expectation = _from_test(node)
        if expectation is not None:
            by_id[node["attached_node"]].expectations.append(expectation)
    return dict(sorted(marts.items()))
