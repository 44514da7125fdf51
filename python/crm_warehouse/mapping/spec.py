"""The mapping file, parsed from YAML nodes so that every rule keeps the line it was written on.

Scalars are kept as the text written in the file (`true`, `0`, `2017-12-31` stay text; YAML's type guessing
would otherwise turn them into booleans, numbers and dates): every raw contract value is text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from crm_warehouse.mapping.problems import Problem

EXTRACT_DATE = "${extract_date}"  # stands for the mapping's extract_date wherever a value is written
FILE_FORMATS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}
TOP_KEYS = ("extract_date", "entities", "absent", "on_invalid")
ENTITY_KEYS = ("file", "delimiter", "columns")
RULE_KEYS = ("from", "constant", "values", "default")
NULL_TAG = "tag:yaml.org,2002:null"


@dataclass(frozen=True)
class Value:
    text: str | None  # as written; None for a YAML null (~, null or nothing)
    line: int


@dataclass(frozen=True)
class ColumnRule:
    """How one contract column is filled: from user columns (the first non-empty wins) or a constant."""

    column: str
    line: int
    sources: tuple[Value, ...] = ()
    constant: Value | None = None
    values: tuple[tuple[Value, Value], ...] = ()  # (user value, contract value)
    default: Value | None = None  # when the value, after the value map, is missing


@dataclass(frozen=True)
class EntityMapping:
    entity: str
    line: int
    file: Value
    delimiter: Value | None
    rules: tuple[ColumnRule, ...]

    @property
    def file_format(self) -> str | None:
        return FILE_FORMATS.get(Path(self.file.text or "").suffix.lower())


@dataclass(frozen=True)
class MappingSpec:
    path: Path
    extract_date: Value | None
    entities: tuple[EntityMapping, ...]
    absent: tuple[Value, ...]
    on_invalid: tuple[tuple[Value, Value], ...]  # ("<entity>.<column>", action)
    entities_line: int = 1


def line_of(node: Node) -> int:
    return node.start_mark.line + 1


class _Parser:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def error(self, line: int | None, message: str) -> None:
        self.problems.append(Problem("error", str(self.path), line, message))

    def pairs(self, node: Node, what: str, allowed: tuple[str, ...] | None = None) -> list[tuple[str, Node, Node]]:
        """(key, key node, value node) of a YAML mapping; duplicate and unknown keys are errors."""
        if not isinstance(node, MappingNode):
            self.error(line_of(node), f"{what} must be a mapping (key: value lines)")
            return []
        seen: dict[str, int] = {}
        result = []
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if key is None:
                self.error(line_of(key_node), f"{what}: keys must be plain names")
                continue
            if key in seen:
                self.error(line_of(key_node), f"{what}: {key!r} is given twice (first on line {seen[key]})")
                continue
            seen[key] = line_of(key_node)
            if allowed is not None and key not in allowed:
                self.error(line_of(key_node), f"{what}: unknown key {key!r} (expected one of: {', '.join(allowed)})")
                continue
            result.append((key, key_node, value_node))
        return result

    def scalar(self, node: Node, what: str) -> Value | None:
        if not isinstance(node, ScalarNode):
            self.error(line_of(node), f"{what} must be a single value, not a list or mapping")
            return None
        return Value(None if node.tag == NULL_TAG else node.value, line_of(node))

    def name(self, node: Node, what: str) -> Value | None:
        value = self.scalar(node, what)
        if value is not None and not (value.text or "").strip():
            self.error(value.line, f"{what} is empty")
            return None
        return value

    def names(self, node: Node, what: str) -> tuple[Value, ...]:
        items = node.value if isinstance(node, SequenceNode) else [node]
        return tuple(v for v in (self.name(item, what) for item in items) if v is not None)

    def rule(self, entity: str, column: str, key_node: Node, node: Node) -> ColumnRule | None:
        what = f"{entity}.{column}"
        line = line_of(key_node)
        if isinstance(node, ScalarNode):  # shorthand: contract_column: user_column
            source = self.name(node, f"{what}: the user column")
            return ColumnRule(column, line, sources=(source,)) if source else None
        parts = {key: value for key, _, value in self.pairs(node, what, RULE_KEYS)}
        if ("from" in parts) == ("constant" in parts):
            self.error(line, f"{what}: give exactly one of 'from' (user columns) or 'constant'")
            return None
        if "constant" in parts and ("values" in parts or "default" in parts):
            self.error(line, f"{what}: 'values' and 'default' apply to 'from', not to a constant")
            return None
        values: list[tuple[Value, Value]] = []
        value_pairs = self.pairs(parts["values"], f"{what}: values") if "values" in parts else []
        for _, user_node, target_node in value_pairs:
            user = self.scalar(user_node, f"{what}: a user value")
            target = self.scalar(target_node, f"{what}: the contract value of {user_node.value!r}")
            if user is not None and target is not None:
                values.append((user, target))
        return ColumnRule(
            column,
            line,
            sources=self.names(parts["from"], f"{what}: the user column") if "from" in parts else (),
            constant=self.scalar(parts["constant"], f"{what}: constant") if "constant" in parts else None,
            values=tuple(values),
            default=self.scalar(parts["default"], f"{what}: default") if "default" in parts else None,
        )

    def entity(self, entity: str, key_node: Node, node: Node) -> EntityMapping | None:
        parts = {key: (k, v) for key, k, v in self.pairs(node, f"entity {entity}", ENTITY_KEYS)}
        if "file" not in parts:
            self.error(line_of(key_node), f"entity {entity}: 'file' (the user's file for it) is missing")
            return None
        file = self.name(parts["file"][1], f"entity {entity}: file")
        delimiter = self.scalar(parts["delimiter"][1], f"entity {entity}: delimiter") if "delimiter" in parts else None
        rules = []
        if "columns" in parts:
            for column, column_key, rule_node in self.pairs(parts["columns"][1], f"entity {entity}: columns"):
                rule = self.rule(entity, column, column_key, rule_node)
                if rule is not None:
                    rules.append(rule)
        if file is None:
            return None
        return EntityMapping(entity, line_of(key_node), file, delimiter, tuple(rules))

    def spec(self, root: Node | None) -> MappingSpec:
        empty = MappingSpec(self.path, None, (), (), ())
        if root is None:
            self.error(1, "the mapping file is empty")
            return empty
        parts = {key: (k, v) for key, k, v in self.pairs(root, "the mapping", TOP_KEYS)}
        if "entities" not in parts:
            self.error(line_of(root), "the mapping has no 'entities' (contract entity -> the user's file)")
        entities = []
        if "entities" in parts:
            for name, key_node, node in self.pairs(parts["entities"][1], "entities"):
                mapped = self.entity(name, key_node, node)
                if mapped is not None:
                    entities.append(mapped)
        on_invalid = []
        if "on_invalid" in parts:
            for _, key_node, action_node in self.pairs(parts["on_invalid"][1], "on_invalid"):
                key = Value(key_node.value, line_of(key_node))
                action = self.scalar(action_node, f"on_invalid: {key_node.value}")
                if action is not None:
                    on_invalid.append((key, action))
        return MappingSpec(
            self.path,
            extract_date=self.name(parts["extract_date"][1], "extract_date") if "extract_date" in parts else None,
            entities=tuple(entities),
            absent=self.names(parts["absent"][1], "absent: an entity") if "absent" in parts else (),
            on_invalid=tuple(on_invalid),
            entities_line=line_of(parts["entities"][0]) if "entities" in parts else line_of(root),
        )


def load_spec(path: Path) -> tuple[MappingSpec, list[Problem]]:
    """The mapping in `path` and its structural problems (unknown keys, wrong shapes, duplicates)."""
    parser = _Parser(path)
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except OSError as err:
        parser.error(None, f"cannot read the mapping file: {err.strerror or err}")
        return MappingSpec(path, None, (), (), ()), parser.problems
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        parser.error(mark.line + 1 if mark else None, f"not valid YAML: {err.problem or err}")
        return MappingSpec(path, None, (), (), ()), parser.problems
    return parser.spec(root), parser.problems
