"""Metric definitions for hover help: the column descriptions of the marts' dbt YAML (one source of truth)."""

from __future__ import annotations

import functools
from pathlib import Path

import yaml

from crm_warehouse.app.queries import PROJECT_ROOT


@functools.cache
def column_descriptions(models_dir: Path = PROJECT_ROOT / "models" / "marts") -> dict[str, dict[str, str]]:
    """{model: {column: description}} from every models/marts/<area>/_<area>__models.yml."""
    found: dict[str, dict[str, str]] = {}
    for yml in sorted(models_dir.glob("*/_*__models.yml")):
        document = yaml.safe_load(yml.read_text(encoding="utf-8")) or {}
        for model in document.get("models") or []:
            found[model["name"]] = {
                col["name"]: " ".join(str(col.get("description") or "").split()) for col in model.get("columns") or []
            }
    return found


# The pseudo-table of a frame of semantic-layer metrics (app/metrics.py): its columns are described by the metric.
METRICS = "metrics"


def describe(table: str, column: str) -> str | None:
    """The documented definition of `table.column` (of the metric shown as `column` for METRICS), or None."""
    if table == METRICS:
        from crm_warehouse.app.metric_queries import COLUMNS

        metric = next((name for name, shown in COLUMNS.items() if shown == column), column)
        return metric_description(metric)
    return column_descriptions().get(table, {}).get(column) or None


# The marts whose numbers the app shows (tables, charts, tiles, the header line); the dims only feed the filters.
FILTER_ONLY = frozenset({"dim_users", "dim_accounts", "dim_products", "fct_opportunities", "fct_leads"})


@functools.cache
def catalogue(models_dir: Path = PROJECT_ROOT / "models" / "marts") -> tuple[tuple[str, str, str, str], ...]:
    """(area, mart, column, definition) for every documented column of every mart the app shows, YAML order.

    The area is the folder of the mart (models/marts/<area>/); only marts the app may read (queries.MARTS).
    """
    from crm_warehouse.app.queries import MARTS

    rows: list[tuple[str, str, str, str]] = []
    for yml in sorted(models_dir.glob("*/_*__models.yml")):
        document = yaml.safe_load(yml.read_text(encoding="utf-8")) or {}
        for model in document.get("models") or []:
            if model["name"] not in MARTS or model["name"] in FILTER_ONLY:
                continue
            for col in model.get("columns") or []:
                text = " ".join(str(col.get("description") or "").split())
                if text:
                    rows.append((yml.parent.name, model["name"], col["name"], text))
    return tuple(rows)


@functools.cache
def metric_definitions(
    semantic_dir: Path = PROJECT_ROOT / "models" / "semantic",
) -> tuple[tuple[str, str, str], ...]:
    """(label, description, metric name) of every metric of the semantic layer (models/semantic/*.yml), YAML order.

    The same text `mf list metrics` shows analysts; each description names the mart column it equals.
    """
    rows: list[tuple[str, str, str]] = []
    for yml in sorted(semantic_dir.glob("*.yml")):
        document = yaml.safe_load(yml.read_text(encoding="utf-8")) or {}
        for metric in document.get("metrics") or []:
            text = " ".join(str(metric.get("description") or "").split())
            rows.append((str(metric.get("label") or metric["name"]), text, metric["name"]))
    return tuple(rows)


def metric_description(metric: str) -> str | None:
    """A semantic-layer metric's definition (the tile's hover text)."""
    return next((text for _, text, name in metric_definitions() if name == metric), None)
