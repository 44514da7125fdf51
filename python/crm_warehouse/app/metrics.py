"""Metrics from the semantic layer for the pages: a query by name, with every sidebar filter it can take.

The SQL was compiled by MetricFlow at publish (app_metric_queries in the published copy); here it runs read-only
with the filter values bound as named parameters (null = all), cached on the file's version like every query.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from crm_warehouse.app import queries
from crm_warehouse.app.filters import Filters
from crm_warehouse.app.metric_queries import APP_QUERIES, COLUMNS


@dataclass(frozen=True)
class Scoped:
    """A chart's numbers and the selected filters they could not take (filter key -> why)."""

    frame: pd.DataFrame
    unavailable: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    parameters: tuple[str, ...]
    unavailable: dict[str, str]


@st.cache_data(show_spinner=False)
def _compiled(path: str, mtime: float) -> dict[str, _Compiled]:
    del mtime
    rows = queries.read_only(
        path, "select query_name, sql, parameters, unavailable_filters from app_metric_queries", ()
    ).itertuples(index=False)
    return {name: _Compiled(sql, tuple(params), json.loads(unavailable)) for name, sql, params, unavailable in rows}


def fetch(name: str, filters: Filters) -> Scoped:
    """The metrics of APP_QUERIES[name] under the sidebar filters, columns renamed to the names the app shows."""
    if name not in APP_QUERIES:
        raise ValueError(f"{name!r} is not one of the app's metric queries")
    path, mtime = str(queries.warehouse_path()), queries.warehouse_mtime()
    compiled = _compiled(path, mtime).get(name)
    if compiled is None:
        raise queries.WarehouseMissingError(f"{path} has no compiled query {name!r}: publish it again")
    values = {"start": filters.start, "end": filters.end, **filters.selected()}
    params = tuple((key, values.get(key)) for key in compiled.parameters)
    frame = queries.fetch_named(path, mtime, compiled.sql, params)
    frame = frame.rename(columns={c: COLUMNS.get(c, c) for c in frame.columns})
    return Scoped(frame, compiled.unavailable)
