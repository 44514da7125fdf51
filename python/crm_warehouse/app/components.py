"""Shared widgets: tables with definitions on hover and a CSV download, KPI tiles, chart frames."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from crm_warehouse.app.definitions import describe


def table(frame: pd.DataFrame, mart: str, key: str, title: str | None = None) -> None:
    """A dataframe whose column headers show the mart's documented definitions, with a CSV download."""
    if title:
        st.subheader(title)
    config = {col: _column_config(frame[col], describe(mart, col)) for col in frame.columns}
    st.dataframe(frame, column_config=config, hide_index=True, width="stretch")
    st.download_button(
        "Download CSV",
        frame.to_csv(index=False).encode("utf-8"),
        file_name=f"{key}.csv",
        mime="text/csv",
        key=f"csv_{key}",
    )


def _column_config(values: pd.Series, help_text: str | None) -> object:
    # Month and day columns arrive as midnight timestamps: show them as dates.
    if pd.api.types.is_datetime64_any_dtype(values) and (values.dropna() == values.dropna().dt.normalize()).all():
        return st.column_config.DateColumn(help=help_text, format="YYYY-MM-DD")
    return st.column_config.Column(help=help_text)


def chart(figure: go.Figure, key: str) -> None:
    figure.update_layout(margin={"l": 10, "r": 10, "t": 40, "b": 10})
    st.plotly_chart(figure, width="stretch", key=key)


def empty(frame: pd.DataFrame, what: str) -> bool:
    """Say so when the filters leave nothing to show (instead of an empty chart)."""
    if frame.empty:
        st.info(f"No {what} for the selected filters.")
        return True
    return False


def is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value is pd.NaT


def usd(number: float) -> str:
    """Whole dollars; millions as $1.23M so a KPI tile never truncates."""
    if abs(number) >= 1_000_000:
        return f"${number / 1_000_000:,.2f}M"
    return f"${number:,.0f}"


def format_value(value: object, kind: str) -> str:
    """Display format per kind: usd, rate (0..1 as %), ratio, days, number, nps."""
    if is_missing(value):
        return "no data"  # null in the mart: nothing to compute from, which is not 0
    number = float(value)  # type: ignore[arg-type]
    if kind == "usd":
        return usd(number)
    if kind == "rate":
        return f"{number * 100:.1f}%"
    if kind == "ratio":
        return f"{number:.2f}"
    if kind == "days":
        return f"{number:.1f} d"
    if kind == "nps":
        return f"{number:.1f}"
    return f"{number:,.0f}"


def format_delta(current: object, previous: object, kind: str) -> str | None:
    """Month-over-month change of a displayed KPI (rates in percentage points)."""
    if is_missing(current) or is_missing(previous):
        return None
    change = float(current) - float(previous)  # type: ignore[arg-type]
    if kind == "rate":
        return f"{change * 100:+.1f} pp"
    if kind == "usd":
        return ("+" if change >= 0 else "-") + usd(abs(change))
    if kind == "days":
        return f"{change:+.1f} d"
    if kind in ("ratio", "nps"):
        return f"{change:+.2f}"
    return f"{change:+,.0f}"


def note(text: str) -> None:
    if text:
        st.caption(text)
