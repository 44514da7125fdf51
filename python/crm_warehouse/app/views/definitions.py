"""Definitions: every figure the app shows, its plain name, its documented definition and where it comes from.

First the metrics of the semantic layer (definitions.metric_definitions: models/semantic, what analysts query by
name), then every column of the marts from their dbt YAML (definitions.catalogue, the same text as the hover
help): nothing is written twice. Columns are grouped by area (the marts' folder); both tables are searchable.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from crm_warehouse.app import labels
from crm_warehouse.app.components import download_csv
from crm_warehouse.app.definitions import catalogue, metric_definitions
from crm_warehouse.app.filters import Filters

TITLE = "Definitions"
ICON = ":material/menu_book:"
CHARTS = False  # a glossary: one table, no chart
ALL_AREAS = "All areas"


def frame() -> pd.DataFrame:
    rows = [
        {
            "Area": area.replace("_", " ").capitalize(),
            "Name": labels.label(column),
            "Definition": text,
            "Source (mart.column)": f"{mart}.{column}",
        }
        for area, mart, column, text in catalogue()
    ]
    return pd.DataFrame(rows, columns=["Area", "Name", "Definition", "Source (mart.column)"])


def metrics_frame() -> pd.DataFrame:
    rows = [
        {"Metric": name, "Definition": text, "Semantic layer name": metric}
        for name, text, metric in metric_definitions()
    ]
    return pd.DataFrame(rows, columns=["Metric", "Definition", "Semantic layer name"])


def _matching(shown: pd.DataFrame, search: str, columns: list[str]) -> pd.DataFrame:
    """Rows where one of columns contains the search text (case-insensitive)."""
    if not search.strip():
        return shown
    needle = search.strip().lower()
    hit = pd.Series(False, index=shown.index)
    for column in columns:
        hit |= shown[column].str.lower().str.contains(needle, regex=False)
    return shown[hit]


def render(filters: Filters) -> None:
    del filters  # the definitions do not depend on the sidebar filters
    metrics = metrics_frame()
    st.subheader("Metrics")
    st.caption(
        "The metrics of the semantic layer, as analysts query them by name (`make metrics`); each definition names"
        " the mart column it equals."
    )
    metric_search = st.text_input("Search metrics", key="definitions_metric_search")
    shown_metrics = _matching(metrics, metric_search, list(metrics.columns))
    st.caption(f"{len(shown_metrics)} metrics")
    st.dataframe(shown_metrics, hide_index=True, width="stretch")
    download_csv(shown_metrics, "metric_definitions")
    st.subheader("Columns of the marts")
    everything = frame()
    st.caption(
        "Every figure and column the app shows, defined as in the warehouse's documentation (the dbt YAML of the"
        " marts). Hovering a tile or a column header elsewhere shows the same text."
    )
    left, right = st.columns([1, 2])
    area = left.selectbox("Area", [ALL_AREAS, *sorted(everything["Area"].unique())], key="definitions_area")
    search = right.text_input("Search names and definitions", key="definitions_search")
    shown = everything if area == ALL_AREAS else everything[everything["Area"] == area]
    shown = _matching(shown, search, ["Name", "Definition", "Source (mart.column)"])
    st.caption(f"{len(shown)} definitions")
    st.dataframe(shown, hide_index=True, width="stretch")
    download_csv(shown, "definitions")
