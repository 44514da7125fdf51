"""The raw CRM contract, read from the dbt sources YAML that documents it.

One definition serves dbt (docs, tests), the generator (which columns to write) and the
pre-flight checks on a user's extract: `models/staging/crm/_crm__sources.yml`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from crm_warehouse import PROJECT_ROOT

CONTRACT_PATH = PROJECT_ROOT / "models" / "staging" / "crm" / "_crm__sources.yml"

LOGICAL_TYPES = frozenset(
    {"id", "text", "pii", "enum", "timestamp", "date", "decimal", "integer", "boolean", "currency"}
)


@dataclass(frozen=True)
class Column:
    name: str
    logical_type: str
    description: str
    required: bool = False
    values: tuple[str, ...] = ()
    references: str | None = None  # "<entity>.<column>"
    non_negative: bool = False
    not_before: str | None = None  # another column of the same row
    may_be_future: bool = False  # an expected or scheduled date
    may_be_future_unless: str | None = None  # future allowed unless this boolean column is true
    required_if: str | None = None  # required when this boolean column is true
    on_invalid: str | None = None  # reject_row | flag_value (None: the documented default)
    on_orphan: str = "flag_value"  # a required reference naming no row: keep it (inferred member) or reject_row
    on_unknown: str = "reject_row"  # a required enum's value outside the list: reject_row or flag_value ('other')
    fx_date: str | None = None  # currency columns: the column whose day the row's amounts convert at


@dataclass(frozen=True)
class Entity:
    name: str
    description: str
    primary_key: tuple[str, ...]
    updated_at: str | None
    columns: tuple[Column, ...] = field(default_factory=tuple)
    optional: bool = False  # an extract may leave the entity out

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def on_invalid(self, name: str, reason: str | None = None) -> str:
        """What a failed check on the column does by default: reject_row, flag_value or reject_if_required
        (required_if: rejects when that column is true). With a reason, that check's action: on a required column
        left at its default an orphan_reference follows on_orphan and an unknown_enum on_unknown. Mirrors macros
        crm_on_invalid and crm_check_action."""
        column = self.column(name)
        if name in self.primary_key:
            return "reject_row"
        if column.on_invalid:
            return column.on_invalid
        if column.required:
            if reason == "orphan_reference":
                return column.on_orphan
            if reason == "unknown_enum":
                return column.on_unknown
            return "reject_row"
        return "reject_if_required" if column.required_if else "flag_value"

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name!r}")


def _column(raw: dict) -> Column:
    meta = raw.get("meta", {})
    logical_type = meta["logical_type"]
    if logical_type not in LOGICAL_TYPES:
        raise ValueError(f"column {raw['name']}: unknown logical_type {logical_type!r}")
    return Column(
        name=raw["name"],
        logical_type=logical_type,
        description=raw.get("description", ""),
        required=bool(meta.get("required", False)),
        values=tuple(meta.get("values", ())),
        references=meta.get("references"),
        non_negative=bool(meta.get("non_negative", False)),
        not_before=meta.get("not_before"),
        may_be_future=bool(meta.get("may_be_future", False)),
        may_be_future_unless=meta.get("may_be_future_unless"),
        required_if=meta.get("required_if"),
        on_invalid=_on_invalid(raw["name"], meta.get("on_invalid")),
        on_orphan=_on_invalid(raw["name"], meta.get("on_orphan", "flag_value")) or "flag_value",
        on_unknown=_on_invalid(raw["name"], meta.get("on_unknown", "reject_row")) or "reject_row",
        fx_date=meta.get("fx_date"),
    )


ON_INVALID_ACTIONS = ("reject_row", "flag_value")


def _on_invalid(column: str, action: str | None) -> str | None:
    if action is not None and action not in ON_INVALID_ACTIONS:
        raise ValueError(f"column {column}: on_invalid must be one of {ON_INVALID_ACTIONS}, not {action!r}")
    return action


@cache
def load_contract(path: Path = CONTRACT_PATH) -> dict[str, Entity]:
    """Entities of the raw contract by name, in the order the YAML lists them."""
    doc = yaml.safe_load(path.read_text())
    (source,) = [s for s in doc["sources"] if s["name"] == "crm"]
    entities: dict[str, Entity] = {}
    for table in source["tables"]:
        meta = table.get("meta", {})
        pk = meta["primary_key"]
        entities[table["name"]] = Entity(
            name=table["name"],
            description=table.get("description", ""),
            primary_key=tuple(pk) if isinstance(pk, list) else (pk,),
            updated_at=meta.get("updated_at"),
            columns=tuple(_column(c) for c in table["columns"]),
            optional=bool(meta.get("optional", False)),
        )
    return entities


def main(argv: list[str] | None = None) -> int:
    import argparse

    from crm_warehouse.contract_markdown import contract_markdown, update_readme

    parser = argparse.ArgumentParser(description="The raw CRM contract.")
    parser.add_argument("--markdown", action="store_true", help="print the contract as Markdown tables")
    parser.add_argument("--update-readme", action="store_true", help="rewrite the contract section of README.md")
    args = parser.parse_args(argv)
    if args.update_readme:
        update_readme()
    if args.markdown or not args.update_readme:
        print(contract_markdown(load_contract()), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
