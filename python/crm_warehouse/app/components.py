"""Shared widgets: tables with definitions on hover and a CSV download, KPI tiles, chart frames.

Every header, axis title and legend gets its human name and unit from labels.py here, not on the pages.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from crm_warehouse.app import labels
from crm_warehouse.app.definitions import describe
from crm_warehouse.app.filters import Filters
from crm_warehouse.semantic.filters import FILTERS

# Streamlit number formats per display kind: shares stay 0..1 in the data, the format shows them as %.
TABLE_FORMATS = {"usd": "dollar", "share": "percent", "days": "%.1f", "hours": "%.1f", "ratio": "%.2f"}
# Plotly axis formats per display kind.
AXIS_FORMATS = {"share": ".0%"}
HOVER_FORMATS = {"share": ":.1%", "usd": ":$,.0f", "days": ":.1f", "hours": ":.1f", "ratio": ":.2f"}
# Axis title for a chart of several series of one kind (plotly express names it "value").
SERIES_TITLES = {"usd": "Amount (USD)", "share": "Rate (%)", "days": "Days", "hours": "Hours", "count": "Count"}


def table(frame: pd.DataFrame, mart: str, key: str, title: str | None = None) -> None:
    """A dataframe with human headers and units, the mart's documented definitions on hover, a CSV download."""
    if title:
        st.subheader(title)
    config = {col: _column_config(col, frame[col], describe(mart, col)) for col in frame.columns}
    st.dataframe(frame, column_config=config, hide_index=True, width="stretch")
    download_csv(frame, key)


def download_csv(frame: pd.DataFrame, key: str) -> None:
    """A button that downloads frame as <key>.csv."""
    st.download_button(
        "Download CSV",
        frame.to_csv(index=False).encode("utf-8"),
        file_name=f"{key}.csv",
        mime="text/csv",
        key=f"csv_{key}",
    )


def _column_config(column: str, values: pd.Series, help_text: str | None) -> object:
    name = labels.label(column)
    # Month and day columns arrive as midnight timestamps: show them as dates.
    if pd.api.types.is_datetime64_any_dtype(values) and (values.dropna() == values.dropna().dt.normalize()).all():
        return st.column_config.DateColumn(name, help=help_text, format="YYYY-MM-DD")
    number_format = TABLE_FORMATS.get(labels.kind(column))
    if number_format and pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return st.column_config.NumberColumn(name, help=help_text, format=number_format)
    return st.column_config.Column(name, help=help_text)


def _title(text: str, names: Mapping[str, str]) -> str:
    # plotly express titles an aggregate "sum of <column>"; the column's label says what it is.
    text = re.sub(r"^(sum|avg|count|min|max) of ", "", text)
    return names.get(text) or labels.label(text)


def chart(figure: go.Figure, key: str, names: Mapping[str, str] | None = None) -> None:
    """A plotly chart with human axis titles, legend and hover names, units and % formats (labels.py).

    `names` overrides a column's label for this chart (e.g. dimension_value -> "Lead source", count -> "Deals").
    """
    names = dict(names or {})
    series = [t.name for t in figure.data if t.name and figure.layout.legend.title.text == "variable"]
    kinds = {labels.kind(s) for s in series}
    value_kind = next(iter(kinds)) if len(kinds) == 1 else ""
    for axis_name in [a for a in figure.layout if re.fullmatch(r"[xy]axis\d*", a)]:
        axis = figure.layout[axis_name]
        text = axis.title.text
        if not text:
            continue
        if text == "value" and series:  # several columns on one axis: name the shared unit
            axis_kind = value_kind
            axis.title.text = names.get("value") or SERIES_TITLES.get(axis_kind, "Value")
        else:
            axis_kind = labels.kind(re.sub(r"^(sum|avg|count|min|max) of ", "", text))
            axis.title.text = _title(text, names)
        if axis_kind in AXIS_FORMATS:
            axis.tickformat = AXIS_FORMATS[axis_kind]
        if axis_kind == "usd":  # money ticks carry the currency: $2M
            axis.tickprefix = "$"
    legend = figure.layout.legend.title.text
    if legend:
        figure.layout.legend.title.text = "" if legend == "variable" else _title(legend, names)
    if figure.layout.coloraxis.colorbar.title.text:
        figure.layout.coloraxis.colorbar.title.text = _title(figure.layout.coloraxis.colorbar.title.text, names)
    for trace in figure.data:
        if trace.name and trace.name in series:
            trace.name = names.get(trace.name) or labels.label(trace.name)
        elif trace.name and re.fullmatch(r"[a-z][a-z0-9_ ]*", trace.name):  # a code-like value (at_risk): words
            trace.name = labels.plain(trace.name)
        if getattr(trace, "hovertemplate", None):
            trace.hovertemplate = _hover(trace.hovertemplate, names, value_kind)
    figure.update_layout(margin={"l": 10, "r": 10, "t": 40, "b": 10})
    st.plotly_chart(figure, width="stretch", key=key)


def _hover(template: str, names: Mapping[str, str], value_kind: str = "") -> str:
    """plotly express hover lines read 'column=%{x}' or 'variable=<column>': labels, values in the column's format."""

    def line(part: str) -> str:
        match = re.fullmatch(r"([^=<>]+)=%\{([^}:]+)(:[^}]*)?\}(.*)", part)
        if match:
            column, ref, fmt, rest = match.groups()
            column_kind = value_kind if column == "value" else labels.kind(column)
            fmt = fmt or HOVER_FORMATS.get(column_kind, "")
            title = (
                (names.get("value") or SERIES_TITLES.get(value_kind, "Value"))
                if column == "value"
                else _title(column, names)
            )
            return f"{title}: %{{{ref}{fmt}}}{rest}"
        literal = re.fullmatch(r"([^=<>%]+)=([^<>%]*)", part)
        if literal:
            column, value = literal.groups()
            if column == "variable":  # the series is a column: its label
                return names.get(value) or labels.label(value)
            return f"{_title(column, names)}: {value}"
        return part

    return "<br>".join(line(p) for p in template.split("<br>"))


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


def scope_note(unavailable: Mapping[str, str], filters: Filters, compact: bool = False) -> None:
    """The filters this chart cannot take, greyed out, with why on hover; a selected one also says why in words
    (compact, for KPI tiles: only the selected ones, greyed, why on hover)."""
    specs = [spec for spec in FILTERS if spec.key in unavailable]
    selected = [spec for spec in specs if spec.key in filters.selected()]
    if not specs or (compact and not selected):
        return
    shown = selected if compact else specs
    badges = " ".join(f":gray-badge[~~{spec.label}~~]" for spec in shown)
    lines = [f"Not split by: {badges}"]
    if not compact:
        lines += [f"{spec.label} is not applied: {unavailable[spec.key]}." for spec in selected]
    st.caption("  \n".join(lines), help="\n\n".join(f"**{spec.label}**: {unavailable[spec.key]}." for spec in shown))


def note(text: str) -> None:
    if text:
        st.caption(text)
