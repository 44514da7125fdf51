"""The DuckDB SQL of a mapping: every identifier and literal quoted, one select per entity.

A user's column names and values are data, never SQL: identifiers go through `ident`, values through `literal`.
"""

from __future__ import annotations

from pathlib import Path

from crm_warehouse.mapping.spec import EXTRACT_DATE, ColumnRule


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(value: str | None) -> str:
    return "null" if value is None else "'" + value.replace("'", "''") + "'"


def resolve(text: str | None, extract_date: str | None) -> str | None:
    """A value as written in the mapping, with ${extract_date} filled in."""
    if text is None or extract_date is None:
        return text
    return text.replace(EXTRACT_DATE, extract_date)


def relation(path: Path, file_format: str, delimiter: str = ",") -> str:
    """The user's file as a relation of text columns, rows in file order."""
    if file_format == "parquet":
        return f"(select columns(*)::varchar from read_parquet({literal(str(path))}))"
    return (
        f"read_csv({literal(str(path))}, header = true, delim = {literal(delimiter)}, quote = '\"', all_varchar = true)"
    )


def missing(expression: str) -> str:
    return f"nullif(trim({expression}), '') is null"


def rule_expression(rule: ColumnRule | None, extract_date: str | None) -> str:
    """The text value of a contract column: a constant, or the user's value through the value map and default."""
    if rule is None:
        return "cast(null as varchar)"
    if rule.constant is not None:
        return literal(resolve(rule.constant.text, extract_date))
    sources = [ident(s.text or "") for s in rule.sources]
    # One source keeps its value untouched (staging trims); several: the first non-empty one.
    value = (
        sources[0] if len(sources) == 1 else "coalesce(" + ", ".join(f"nullif(trim({s}), '')" for s in sources) + ")"
    )
    if rule.values:
        # A null user value (~) matches a missing one; other values match the trimmed text exactly.
        whens = " ".join(
            f"when {missing(value) if user.text is None else f'trim({value}) = {literal(user.text)}'}"
            f" then {literal(resolve(target.text, extract_date))}"
            for user, target in rule.values
        )
        value = f"case {whens} else {value} end"
    if rule.default is not None:
        value = f"coalesce(nullif(trim({value}), ''), {literal(resolve(rule.default.text, extract_date))})"
    return f"cast({value} as varchar)"


def select_entity(columns: list[tuple[str, str]], source: str) -> str:
    """select <expression> as <contract column>, ... from the user's file: one output row per input row."""
    projections = ",\n    ".join(f"{expression} as {ident(column)}" for column, expression in columns)
    return f"select\n    {projections}\nfrom {source}"


def copy_to_csv(select: str, path: Path) -> str:
    return f"copy ({select}) to {literal(str(path))} (format csv, header true, delimiter ',', quote '\"')"


def describe(rule: ColumnRule | None, extract_date: str | None) -> str:
    """How a contract column is filled, for people: "<- deal_stage (value map of 4 values)", "= 'USD'"."""
    if rule is None:
        return "empty (not mapped)"
    if rule.constant is not None:
        return f"= {resolve(rule.constant.text, extract_date)!r}"
    text = "<- " + " | ".join(s.text or "" for s in rule.sources)
    if rule.values:
        text += f" (value map of {len(rule.values)} value{'s' if len(rule.values) != 1 else ''})"
    if rule.default is not None:
        text += f" (default {resolve(rule.default.text, extract_date)!r})"
    return text
