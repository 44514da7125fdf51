"""Pre-flight of a mapping against the contract and the user's files, before anything is written.

Every problem names the mapping line at fault and, where it is about data, the user's file and column. Errors
stop the mapping; warnings (rows the build will quarantine) and notes (values the build will flag, entities
left absent) are reported and the mapping goes on. The data checks are in coverage.py.
"""

from __future__ import annotations

import dataclasses
import difflib
from pathlib import Path

import duckdb

from crm_warehouse.contract import Column, Entity
from crm_warehouse.mapping.coverage import data_problems
from crm_warehouse.mapping.plan import EntityPlan, Plan
from crm_warehouse.mapping.problems import Problem, Severity
from crm_warehouse.mapping.spec import EXTRACT_DATE, ColumnRule, EntityMapping, MappingSpec, Value
from crm_warehouse.mapping.sql import relation, resolve
from crm_warehouse.mapping.values import ACTIONS, value_problem


def _suggest(name: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


class _Checker:
    def __init__(
        self, spec: MappingSpec, raw_dir: Path, contract: dict[str, Entity], connection: duckdb.DuckDBPyConnection
    ) -> None:
        self.spec = spec
        self.raw_dir = raw_dir
        self.contract = contract
        self.connection = connection
        self.plan = Plan()

    def add(
        self,
        severity: Severity,
        line: int | None,
        message: str,
        data_file: str | None = None,
        column: str | None = None,
    ) -> None:
        self.plan.problems.append(Problem(severity, str(self.spec.path), line, message, data_file, column))

    # --- the mapping against the contract ------------------------------------------------------------------

    def extract_date(self) -> str | None:
        value = self.spec.extract_date
        if value is None:
            return None
        problem = value_problem(Column("extract_date", "timestamp", ""), value.text or "", self.connection)
        if problem:
            self.add("error", value.line, f"extract_date {value.text!r} {problem}")
            return None
        return (value.text or "").strip()

    def absent(self) -> dict[str, Value]:
        declared: dict[str, Value] = {}
        for value in self.spec.absent:
            name = (value.text or "").strip()
            if name not in self.contract:
                self.add(
                    "error", value.line, f"absent: {name!r} is not a contract entity{_suggest(name, [*self.contract])}"
                )
            elif name in declared:
                self.add("error", value.line, f"absent: {name} is listed twice (first on line {declared[name].line})")
            else:
                declared[name] = value
        return declared

    def on_invalid(self) -> dict[str, str]:
        overrides: dict[str, str] = {}
        for key, action in self.spec.on_invalid:
            entity_name, _, column_name = (key.text or "").partition(".")
            entity = self.contract.get(entity_name)
            if entity is None or column_name not in entity.column_names:
                self.add("error", key.line, f"on_invalid: {key.text!r} is not a contract column (<entity>.<column>)")
            elif action.text not in ACTIONS:
                self.add(
                    "error", action.line, f"on_invalid: {key.text}: {action.text!r} is not one of {', '.join(ACTIONS)}"
                )
            elif column_name in entity.primary_key and action.text != "reject_row":
                self.add(
                    "error",
                    action.line,
                    f"on_invalid: {key.text} is a key: a row without a usable key is always rejected",
                )
            else:
                overrides[key.text or ""] = action.text
        return overrides

    def written_values(self, rule: ColumnRule) -> list[tuple[Value, str]]:
        """Values the mapping writes into the column itself, with what they are."""
        values = [(rule.constant, "constant")] if rule.constant else []
        values += [(target, f"value map {user.text!r} ->") for user, target in rule.values]
        values += [(rule.default, "default")] if rule.default else []
        return values

    def rule_problems(self, entity: Entity, rule: ColumnRule, data_file: str, header: list[str] | None) -> bool:
        """Report what is wrong with one column rule; True when it can be applied."""
        where = f"{entity.name}.{rule.column}"
        if rule.column not in entity.column_names:
            suggestion = _suggest(rule.column, entity.column_names)
            self.add("error", rule.line, f"{where} is not a contract column of {entity.name}{suggestion}")
            return False
        ok = True
        for source in rule.sources if header is not None else ():
            if source.text not in header:
                message = (
                    f"{where}: user column {source.text!r} is not in {data_file}{_suggest(source.text or '', header)}; "
                    f"its header: {', '.join(header)}"
                )
                self.add("error", source.line, message, data_file, source.text)
                ok = False
        column = entity.column(rule.column)
        for value, what in self.written_values(rule):
            if value.text is not None and EXTRACT_DATE in value.text and self.plan.extract_date is None:
                self.add(
                    "error", value.line, f"{where}: {what} uses {EXTRACT_DATE} but the mapping has no extract_date"
                )
                ok = False
                continue
            text = resolve(value.text, self.plan.extract_date)
            if text is None or not text.strip():
                if what == "constant" and (column.required or column.name in entity.primary_key):
                    self.add("error", value.line, f"{where}: a required column cannot have an empty constant")
                    ok = False
                continue
            problem = value_problem(column, text, self.connection)
            if problem:
                self.add("error", value.line, f"{where}: {what} {text!r} {problem}")
                ok = False
        return ok

    def effective_rules(self, entity: Entity, mapping: EntityMapping, rules: dict[str, ColumnRule]) -> bool:
        """Fill in updated_at from the extract date; report required columns left unmapped. True when all is well."""
        ok = True
        extract_date = self.plan.extract_date
        written = {rule.column for rule in mapping.rules}  # a faulty rule is reported as such, not as unmapped
        for column in entity.columns:
            rule = rules.get(column.name)
            if column.name == "updated_at" and extract_date is not None:
                date_line = self.spec.extract_date.line if self.spec.extract_date else mapping.line
                if rule is None:
                    rules[column.name] = ColumnRule(column.name, date_line, constant=Value(EXTRACT_DATE, date_line))
                elif rule.constant is None and rule.default is None:
                    rules[column.name] = dataclasses.replace(rule, default=Value(EXTRACT_DATE, date_line))
                continue
            if rule is not None or column.name in written:
                continue
            where = f"{entity.name}.{column.name}"
            if column.required or column.name in entity.primary_key:
                hint = " or declare extract_date" if column.name == "updated_at" else ""
                message = f"{where} is required by the contract and not mapped: map a user column or a constant{hint}"
                self.add("error", mapping.line, message, mapping.file.text)
                ok = False
            elif column.required_if:
                message = (
                    f"{where} is not mapped; it is required when {column.required_if} is true: "
                    "those rows will be quarantined"
                )
                self.add("warning", mapping.line, message, mapping.file.text)
        return ok

    def entity(self, entity: Entity, mapping: EntityMapping) -> EntityPlan | None:
        data_file = mapping.file.text or ""
        file_format = mapping.file_format
        if file_format is None:
            self.add(
                "error", mapping.file.line, f"{entity.name}: unknown file type; expected .csv or .parquet", data_file
            )
        if mapping.delimiter is not None and file_format != "csv":
            self.add(
                "error", mapping.delimiter.line, f"{entity.name}: a delimiter applies to CSV files only", data_file
            )
        path = self.raw_dir / data_file
        source, header = None, None
        if file_format is not None and not path.is_file():
            self.add("error", mapping.file.line, f"{entity.name}: the user file is not in {self.raw_dir}", data_file)
        elif file_format is not None:
            delimiter = mapping.delimiter.text if mapping.delimiter and mapping.delimiter.text else ","
            source = relation(path.resolve(), file_format, delimiter)
            try:
                header = [d[0] for d in self.connection.execute(f"select * from {source} limit 0").description]
            except duckdb.Error as err:
                reason = str(err).strip().splitlines()[0]
                self.add("error", mapping.file.line, f"{entity.name}: cannot read the file: {reason}", data_file)
        rules: dict[str, ColumnRule] = {}
        ok = header is not None
        for rule in mapping.rules:
            if self.rule_problems(entity, rule, data_file, header):
                rules[rule.column] = rule
            else:
                ok = False
        ok = self.effective_rules(entity, mapping, rules) and ok
        return EntityPlan(entity, mapping, source, rules) if ok and source else None

    # --- everything ------------------------------------------------------------------------------------------

    def run(self) -> Plan:
        self.plan.extract_date = self.extract_date()
        declared_absent = self.absent()
        self.plan.on_invalid = self.on_invalid()
        mapped: set[str] = set()
        for mapping in self.spec.entities:
            entity = self.contract.get(mapping.entity)
            if entity is None:
                suggestion = _suggest(mapping.entity, [*self.contract])
                self.add("error", mapping.line, f"{mapping.entity!r} is not a contract entity{suggestion}")
                continue
            mapped.add(entity.name)
            if entity.name in declared_absent:
                line = declared_absent[entity.name].line
                self.add("error", mapping.line, f"{entity.name} is mapped here and declared absent on line {line}")
                continue
            plan = self.entity(entity, mapping)
            if plan is not None:
                self.plan.written.append(plan)
        for entity in self.contract.values():
            if entity.name in mapped:
                continue
            if entity.name in declared_absent:
                self.plan.absent.append(entity.name)
                if not entity.optional:
                    self.plan.header_only.append(entity)
            elif entity.optional:
                message = f"optional entity {entity.name} is neither mapped nor declared absent: it is left absent"
                self.add("note", self.spec.entities_line, message)
                self.plan.absent.append(entity.name)
            else:
                message = (
                    f"required entity {entity.name} is neither mapped nor declared absent: map it under 'entities' "
                    "or list it under 'absent' (it then builds empty)"
                )
                self.add("error", self.spec.entities_line, message)
        for plan in self.plan.written:
            self.plan.problems += data_problems(plan, self.plan, str(self.spec.path), self.connection)
        return self.plan


def check_mapping(
    spec: MappingSpec, raw_dir: Path, contract: dict[str, Entity], connection: duckdb.DuckDBPyConnection
) -> Plan:
    """What the mapping will write, and every problem pre-flight found (nothing is written here)."""
    return _Checker(spec, raw_dir, contract, connection).run()
