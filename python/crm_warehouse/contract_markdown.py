"""The raw contract as Markdown, for the README's "bring your own extract" section.

Generated from the contract so the documentation cannot drift from it: a test compares the README block
between the markers with this output (`python -m crm_warehouse.contract --update-readme` rewrites it).
"""

from __future__ import annotations

from pathlib import Path

from crm_warehouse import PROJECT_ROOT
from crm_warehouse.contract import Column, Entity

README_PATH = PROJECT_ROOT / "README.md"
BEGIN_MARKER = "<!-- contract:begin (generated: python -m crm_warehouse.contract --update-readme) -->"
END_MARKER = "<!-- contract:end -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").strip()


def _column_type(column: Column) -> str:
    if column.logical_type == "enum":
        return "enum: " + ", ".join(f"`{value}`" for value in column.values)
    return column.logical_type


def _column_rules(column: Column) -> str:
    rules = []
    if column.references:
        rules.append(f"references `{column.references}`")
    if column.non_negative:
        rules.append(">= 0")
    if column.not_before:
        rules.append(f"not before `{column.not_before}`")
    if column.may_be_future:
        rules.append("may be in the future")
    if column.may_be_future_unless:
        rules.append(f"may be in the future unless `{column.may_be_future_unless}`")
    if column.fx_date:
        rules.append(f"converted at the rate of `{column.fx_date}` (or the latest earlier one)")
    return "; ".join(rules)


def _entity_row(entity: Entity) -> str:
    key = ", ".join(f"`{column}`" for column in entity.primary_key)
    file = "optional" if entity.optional else "required"
    return f"| `{entity.name}` | {key} | {file} | {_cell(entity.description)} |"


def _on_invalid(entity: Entity, column: Column) -> str:
    action = entity.on_invalid(column.name)
    if action == "reject_if_required":
        return f"quarantine the row if `{column.required_if}`, else flag"
    if action != "reject_row":
        return "flag the value"
    kept = []
    if column.references and entity.on_invalid(column.name, "orphan_reference") == "flag_value":
        kept.append("an unknown id is kept and flagged")
    if column.values and entity.on_invalid(column.name, "unknown_enum") == "flag_value":
        kept.append("an unknown value is kept as `other` and flagged")
    return "quarantine the row" + (" if missing; " + "; ".join(kept) if kept else "")


def _column_row(entity: Entity, column: Column) -> str:
    required = "yes" if column.required else (f"if `{column.required_if}`" if column.required_if else "")
    cells = [
        f"`{column.name}`",
        _column_type(column),
        required,
        _column_rules(column),
        _on_invalid(entity, column),
        column.description,
    ]
    return "| " + " | ".join(_cell(cell) for cell in cells) + " |"


def contract_markdown(entities: dict[str, Entity]) -> str:
    """The entity list, then one column table per entity."""
    lines = [
        "| Entity (file) | Key | File | Meaning |",
        "|---|---|---|---|",
        *(_entity_row(entity) for entity in entities.values()),
    ]
    lines += ["", "<details><summary>Columns of every entity</summary>"]
    for entity in entities.values():
        lines += [
            "",
            f"#### `{entity.name}`",
            "",
            "| Column | Type | Required | Rules | On a failed check | Meaning |",
            "|---|---|---|---|---|---|",
            *(_column_row(entity, column) for column in entity.columns),
        ]
    lines += ["", "</details>"]
    return "\n".join(lines) + "\n"


def readme_contract_block(readme: str) -> str:
    """The generated part of the README, between the markers."""
    if BEGIN_MARKER not in readme or END_MARKER not in readme:
        raise ValueError(f"README has no contract block ({BEGIN_MARKER} ... {END_MARKER})")
    return readme.split(BEGIN_MARKER, 1)[1].split(END_MARKER, 1)[0].strip("\n") + "\n"


def update_readme(path: Path = README_PATH) -> None:
    from crm_warehouse.contract import load_contract

    readme = path.read_text()
    before = readme.split(BEGIN_MARKER, 1)[0]
    after = readme.split(END_MARKER, 1)[1]
    generated = contract_markdown(load_contract())
    path.write_text(f"{before}{BEGIN_MARKER}\n{generated}{END_MARKER}{after}")
