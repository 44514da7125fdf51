"""Definitions: every figure the app shows, its plain name, its documented definition and where it comes from.

Rendered from the marts' dbt YAML (definitions.catalogue), the same text as the hover help: nothing is written
twice. Grouped by area (the marts' folder) and searchable.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from crm_warehouse.app import labels
from crm_warehouse.app.definitions import catalogue
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


def render(filters: Filters) -> None:
    del filters  # the definitions do not depend on the sidebar filters
    everything = frame()
    st.caption(
        "Every figure and column the app shows, defined as in the warehouse's documentation (the dbt YAML of the"
        " marts). Hovering a tile or a column header elsewhere shows the same text."
    )
    left, right = st.columns([1, 2])
    area = left.selectbox("Area", [ALL_AREAS, *sorted(everything["Area"].unique())], key="definitions_area")
    search = right.text_input("Search names and definitions", key="definitions_search")
    shown = everything if area == ALL_AREAS else everything[everything["Area"] == area]
    if search.strip():
        needle = search.strip().lower()
        hit = (
            shown["Name"].str.lower().str.contains(needle, regex=False)
            | shown["Definition"].str.lower().str.contains(needle, regex=False)
            | shown["Source (mart.column)"].str.lower().str.contains(needle, regex=False)
        )
        shown = shown[hit]
    st.caption(f"{len(shown)} definitions")
    st.dataframe(shown, hide_index=True, width="stretch")
    st.download_button(
        "Download CSV",
        shown.to_csv(index=False).encode("utf-8"),
        file_name="definitions.csv",
        mime="text/csv",
        key="csv_definitions",
    )
