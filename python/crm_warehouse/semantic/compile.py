"""Compile the app's metric queries with MetricFlow (in process, no warehouse connection) into parameterised SQL.

Each query is compiled once per semantic manifest, with every filter the query's metrics can take written as a
MetricFlow where-filter on a sentinel literal; the sentinels become DuckDB named parameters ($segment, $start, ...),
so one statement serves every combination of sidebar values (null = all). A filter one of the metrics cannot take
is left out of that query's SQL and recorded with the reason, which the app shows greyed out on the chart.
The relations are rewritten to the published copy's own schema (main."fct_opportunities").
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from crm_warehouse.semantic.filters import FILTER_KEYS, FILTERS, MONTH_TEMPLATE, FilterSpec, sentinel


@dataclass(frozen=True)
class MetricQuery:
    """Metrics by name, grouped by semantic names (metric_time__month, rep__team, ...), ordered by group_by."""

    metrics: tuple[str, ...]
    group_by: tuple[str, ...] = ("metric_time__month",)


@dataclass(frozen=True)
class CompiledQuery:
    name: str
    sql: str
    # Parameters the SQL reads ($start, $end and each applied filter's key).
    parameters: tuple[str, ...]
    # Filter key -> the semantic name it filters on.
    applied: dict[str, str]
    # Filter key -> why this query's metrics cannot take it.
    unavailable: dict[str, str]


class _ExplainOnlyClient:
    """The part of MetricFlow's SqlClient that explain() uses: the DuckDB dialect; it never connects."""

    def __init__(self) -> None:
        from metricflow.protocols.sql_client import SqlEngine
        from metricflow.sql.render.duckdb_renderer import DuckDbSqlPlanRenderer

        self.sql_engine_type = SqlEngine.DUCKDB
        self.sql_plan_renderer = DuckDbSqlPlanRenderer()

    def render_bind_parameter_key(self, bind_parameter_key: str) -> str:
        return f"${bind_parameter_key}"

    def close(self) -> None:
        return None


def _node_relations(manifest: Mapping[str, Any]) -> list[dict[str, str]]:
    relations = [model["node_relation"] for model in manifest["semantic_models"]]
    return relations + [spine["node_relation"] for spine in manifest["project_configuration"].get("time_spines", [])]


def semantic_relations(manifest: Mapping[str, Any]) -> dict[str, str]:
    """relation_name as the manifest names it ("crm"."main"."fct_leads") -> table name (fct_leads)."""
    return {relation["relation_name"]: relation["alias"] for relation in _node_relations(manifest)}


def semantic_tables(manifest_path: Path) -> dict[str, str]:
    """Table name -> its schema in the built warehouse, for every relation the semantic layer reads."""
    manifest = json.loads(manifest_path.read_text())
    return {relation["alias"]: relation["schema_name"] for relation in _node_relations(manifest)}


def _model_nouns(manifest: Mapping[str, Any]) -> dict[str, str]:
    """measure name -> what its semantic model counts, in words (label, else the name: 'order lines')."""
    return {
        measure["name"]: (model.get("label") or model["name"].replace("_", " "))
        for model in manifest["semantic_models"]
        for measure in model.get("measures", [])
    }


def _metric_sources(manifest: Mapping[str, Any], metric: str) -> list[str]:
    by_name = {m["name"]: m for m in manifest["metrics"]}
    nouns = _model_nouns(manifest)
    measures = [m["name"] for m in by_name[metric]["type_params"].get("input_measures") or []]
    return sorted({nouns[m] for m in measures if m in nouns})


def _label(manifest: Mapping[str, Any], metric: str) -> str:
    found = next(m for m in manifest["metrics"] if m["name"] == metric)
    return found.get("label") or metric.replace("_", " ")


def compile_queries(manifest_json: str, queries: Mapping[str, MetricQuery]) -> list[CompiledQuery]:
    """Compile every query of `queries` against the semantic manifest (target/semantic_manifest.json's text)."""
    from metricflow.engine.metricflow_engine import MetricFlowEngine, MetricFlowQueryRequest
    from metricflow_semantics.model.dbt_manifest_parser import parse_manifest_from_dbt_generated_manifest
    from metricflow_semantics.model.semantic_manifest_lookup import SemanticManifestLookup

    manifest = json.loads(manifest_json)
    engine = MetricFlowEngine(
        SemanticManifestLookup(parse_manifest_from_dbt_generated_manifest(manifest_json)),
        _ExplainOnlyClient(),  # type: ignore[arg-type]
    )
    relations = semantic_relations(manifest)
    compiled = []
    for name, query in queries.items():
        names: dict[str, set[str]] = {}
        for metric in query.metrics:
            names[metric] = {d.dunder_name for d in engine.simple_dimensions_for_metrics([metric])}
        applied: dict[str, str] = {}
        unavailable: dict[str, str] = {}
        for spec in FILTERS:
            choice = _common_name(spec, query.metrics, names)
            if choice:
                applied[spec.key] = choice
            else:
                unavailable[spec.key] = _reason(manifest, spec, query.metrics, names)
        where = [MONTH_TEMPLATE] + [spec.where_template(applied[spec.key]) for spec in FILTERS if spec.key in applied]
        request = MetricFlowQueryRequest.create(
            metric_names=list(query.metrics),
            group_by_names=list(query.group_by),
            where_constraints=where,
            order_by_names=list(query.group_by),
        )
        sql = engine.explain(request).sql_statement.sql
        for key in ("start", "end", *FILTER_KEYS):
            sql = sql.replace(sentinel(key), f"${key}")
        for relation, table in relations.items():
            sql = sql.replace(relation, f'main."{table}"')
        parameters = ("start", "end", *(k for k in FILTER_KEYS if k in applied))
        compiled.append(CompiledQuery(name, sql, parameters, applied, unavailable))
    return compiled


def _reason(
    manifest: Mapping[str, Any], spec: FilterSpec, metrics: tuple[str, ...], names: Mapping[str, set[str]]
) -> str:
    """'Quota (USD), Pipeline coverage come from quotas, where no region is recorded' (metrics grouped by source)."""
    by_source: dict[str, list[str]] = {}
    for metric in metrics:
        if not any(d in names[metric] for d in spec.dimensions):
            source = " and ".join(_metric_sources(manifest, metric))
            by_source.setdefault(source, []).append(_label(manifest, metric))
    return "; ".join(
        f"{', '.join(labels)} {'comes' if len(labels) == 1 else 'come'} from {source}, where no "
        f"{spec.label.lower()} is recorded"
        for source, labels in by_source.items()
    )


def _common_name(spec: FilterSpec, metrics: tuple[str, ...], names: Mapping[str, set[str]]) -> str | None:
    """The first of the filter's semantic names that every metric of the query has."""
    return next((d for d in spec.dimensions if all(d in names[m] for m in metrics)), None)


def cached_compile(manifest_path: Path, queries: Mapping[str, MetricQuery], cache_dir: Path) -> list[CompiledQuery]:
    """compile_queries, kept in cache_dir keyed by the manifest's and the queries' content (MetricFlow takes ~3 s)."""
    manifest_json = manifest_path.read_text()
    spec = json.dumps({n: asdict(q) for n, q in sorted(queries.items())}, sort_keys=True)
    # The compiler's own code is part of the key: a changed filter or template recompiles.
    code = "".join(Path(__file__).with_name(name).read_text() for name in ("compile.py", "filters.py"))
    key = hashlib.sha256((manifest_json + spec + code).encode()).hexdigest()[:16]
    cached = cache_dir / f"app_metric_queries.{key}.json"
    if cached.is_file():
        return [CompiledQuery(**row) for row in json.loads(cached.read_text())]
    compiled = compile_queries(manifest_json, queries)
    cache_dir.mkdir(parents=True, exist_ok=True)
    for old in cache_dir.glob("app_metric_queries.*.json"):
        old.unlink(missing_ok=True)
    # Written aside, then renamed: builds running side by side may share the cache.
    partial = cached.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(json.dumps([asdict(c) for c in compiled]))
    os.replace(partial, cached)
    return compiled
