"""AppTests of what a stakeholder reads: human labels and units on every page, the Definitions page, the rep view.

Labels: every chart (its plotly spec), every table header (its column config), every tile label on every page is
checked against the marts' raw column names. Values: the rep view's tiles against rep_scorecard and a win rate
counted by hand from fct_opportunities of the built warehouse.
"""

from __future__ import annotations

import json
import os
import re
from datetime import date
from pathlib import Path

import duckdb
import pytest
import yaml
from streamlit.testing.v1 import AppTest
from test_app_pages import hand_query, page_test, usd, warehouse  # noqa: F401  (warehouse is a fixture)

from crm_warehouse import PROJECT_ROOT
from crm_warehouse.app import labels
from crm_warehouse.app.definitions import FILTER_ONLY
from crm_warehouse.app.main import PAGES
from crm_warehouse.publish import APP_TABLES

SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")


def mart_columns(path: Path) -> set[str]:
    rows = hand_query(path, "select distinct column_name from information_schema.columns where table_schema = 'main'")
    return {name for (name,) in rows}


def chart_specs(at: AppTest) -> list[dict]:
    return [json.loads(element.proto.spec) for element in at.get("plotly_chart")]


def table_headers(at: AppTest) -> list[list[str]]:
    """The header each table shows: the column config's label, else the column's own name."""
    headers = []
    for element in at.dataframe:
        config = json.loads(element.proto.columns or "{}")
        headers.append([(config.get(str(c)) or {}).get("label") or str(c) for c in element.value.columns])
    return headers


def shown_texts(at: AppTest) -> dict[str, list[str]]:
    """Every axis title, legend title, legend entry, colour-bar title, table header and tile label of a page."""
    found: dict[str, list[str]] = {"axis": [], "legend": [], "series": [], "header": [], "tile": []}
    for spec in chart_specs(at):
        layout = spec["layout"]
        for name, axis in layout.items():
            if re.fullmatch(r"[xy]axis\d*", name) and (axis.get("title") or {}).get("text"):
                found["axis"].append(axis["title"]["text"])
        if ((layout.get("legend") or {}).get("title") or {}).get("text"):
            found["legend"].append(layout["legend"]["title"]["text"])
        colorbar = ((layout.get("coloraxis") or {}).get("colorbar") or {}).get("title") or {}
        if colorbar.get("text"):
            found["legend"].append(colorbar["text"])
        found["series"].extend(t["name"] for t in spec["data"] if t.get("name") and t.get("showlegend", True))
    found["header"] = [h for headers in table_headers(at) for h in headers]
    found["tile"] = [m.label for m in at.metric]
    return found


def test_labels_module_names_columns_with_units() -> None:
    assert labels.label("month_start") == "Month"
    assert labels.label("revenue_usd") == "Revenue (USD)"
    assert labels.label("win_rate") == "Win rate (%)"
    assert labels.label("median_sales_cycle_days") == "Median sales cycle (days)"
    assert labels.label("avg_first_response_hours") == "Average first response (hours)"
    assert labels.kind("logo_churn_rate") == "share"
    assert labels.is_raw("revenue_usd") and not labels.is_raw("Revenue (USD)")


@pytest.mark.parametrize("page", list(PAGES))
def test_no_raw_column_name_is_a_title_legend_header_or_tile(warehouse: Path, page: str) -> None:  # noqa: F811
    columns = mart_columns(warehouse)
    at = page_test(page).run()
    assert not at.exception, [e.value for e in at.exception]
    found = shown_texts(at)
    assert found["header"], "every page shows at least one table"
    raw = {
        where: [t for t in texts if SNAKE.match(t) or t in columns or t in ("value", "variable", "count")]
        for where, texts in found.items()
    }
    assert raw == {where: [] for where in found}, raw
    # Hover lines read 'Label: value', never 'column=value'.
    for spec in chart_specs(at):
        for trace in spec["data"]:
            template = trace.get("hovertemplate") or ""
            assert not re.search(r"(^|<br>)[a-z_]+=", template), template


def test_shares_are_shown_as_percent_by_format_not_multiplied(warehouse: Path) -> None:  # noqa: F811
    months = [m for (m,) in hand_query(warehouse, "select month_start from main.kpi_overview order by 1")]
    at = page_test("overview").run()
    chosen = months[-4]
    at.select_slider(key="months").set_range(f"{months[-10]:%Y-%m}", f"{chosen:%Y-%m}").run()
    (config,) = [json.loads(e.proto.columns) for e in at.dataframe]
    assert config["win_rate"]["label"] == "Win rate (%)"
    assert config["net_revenue_retention"]["label"] == "NRR (monthly, %)"
    assert config["win_rate"]["type_config"]["format"] == "percent"
    assert config["revenue_usd"]["label"] == "Revenue (USD)"
    assert config["revenue_usd"]["type_config"]["format"] == "dollar"
    # The table holds the metric's share (0..1, equal to the mart's) unchanged: the format makes it a percentage.
    table = at.dataframe[0].value
    ((win_rate, revenue),) = hand_query(
        warehouse, "select win_rate, revenue_usd from main.kpi_overview where month_start = ?", [chosen]
    )
    shown = table.loc[table["month_start"] == chosen.isoformat(), "win_rate"]
    if shown.empty:  # dates arrive as timestamps
        shown = table.loc[table["month_start"].astype(str).str[:10] == chosen.isoformat(), "win_rate"]
    assert float(shown.iloc[0]) == pytest.approx(win_rate) and 0 <= win_rate <= 1
    rates = next(s for s in chart_specs(at) if s["layout"]["title"]["text"] == "Win rate")
    assert rates["layout"]["yaxis"]["tickformat"] == ".0%"
    assert rates["layout"]["yaxis"]["title"]["text"] == "Rate (%)"
    revenue_chart = next(s for s in chart_specs(at) if s["layout"]["title"]["text"] == "Revenue")
    assert revenue_chart["layout"]["yaxis"]["title"]["text"] == "Amount (USD)"
    assert revenue_chart["layout"]["yaxis"]["tickprefix"] == "$"
    # The tile by hand: win rate 0..1 in the mart, one decimal percent on screen.
    tile = next(m for m in at.metric if m.label == "Win rate")
    assert tile.value == f"{win_rate * 100:.1f}%"
    assert next(m for m in at.metric if m.label == "Revenue").value == usd(revenue)


def yaml_definitions() -> list[tuple[str, str, str]]:
    """(mart, column, description) counted straight from the marts' YAML for the marts the app shows."""
    shown = APP_TABLES - FILTER_ONLY
    rows = []
    for yml in sorted((PROJECT_ROOT / "models" / "marts").glob("*/_*__models.yml")):
        for model in yaml.safe_load(yml.read_text())["models"]:
            if model["name"] in shown:
                rows.extend(
                    (model["name"], c["name"], " ".join(c["description"].split()))
                    for c in model.get("columns", [])
                    if (c.get("description") or "").strip()
                )
    return rows


def test_definitions_page_lists_every_documented_figure(warehouse: Path) -> None:  # noqa: F811
    expected = yaml_definitions()
    assert len(expected) > 300  # the demo's marts document hundreds of columns
    at = page_test("definitions").run()
    assert not at.exception
    metrics, table = (e.value for e in at.dataframe)
    # First the semantic layer's metrics, counted from models/semantic (what `mf list metrics` lists).
    semantic = [
        m
        for yml in sorted((PROJECT_ROOT / "models" / "semantic").glob("*.yml"))
        for m in yaml.safe_load(yml.read_text()).get("metrics") or []
    ]
    assert len(semantic) >= 30
    assert list(metrics["Semantic layer name"]) == [m["name"] for m in semantic]
    assert f"{len(semantic)} metrics" in [c.value for c in at.caption]
    win_rate = next(m for m in semantic if m["name"] == "win_rate")
    row = metrics[metrics["Semantic layer name"] == "win_rate"].iloc[0]
    assert (row["Metric"], row["Definition"]) == (win_rate["label"], " ".join(win_rate["description"].split()))
    at.text_input(key="definitions_metric_search").input("churn").run()
    churn_metrics = [m for m in semantic if "churn" in f"{m['label']} {m['description']} {m['name']}".lower()]
    assert len(at.dataframe[0].value) == len(churn_metrics) > 0
    at.text_input(key="definitions_metric_search").input("").run()
    # Then every documented column of the marts the app shows.
    assert len(table) == len(expected)
    assert f"{len(expected)} definitions" in [c.value for c in at.caption]
    row = table[table["Source (mart.column)"] == "kpi_overview.win_rate"].iloc[0]
    assert row["Name"] == "Win rate (%)" and row["Area"] == "Overview"
    assert row["Definition"] == dict(((m, c), d) for m, c, d in expected)[("kpi_overview", "win_rate")]
    # Search: names, definitions and sources containing the text, counted from the YAML.
    at.text_input(key="definitions_search").input("churn").run()
    hits = [
        (m, c)
        for m, c, d in expected
        if "churn" in labels.label(c).lower() or "churn" in d.lower() or "churn" in f"{m}.{c}"
    ]
    assert len(at.dataframe[1].value) == len(hits) > 0
    # Grouped by area: one area's marts only.
    at.text_input(key="definitions_search").input("").run()
    at.selectbox(key="definitions_area").select("Churn").run()
    churn_marts = {"customer_churn", "cohort_retention", "revenue_retention", "customer_health", "at_risk_accounts"}
    assert len(at.dataframe[1].value) == sum(1 for m, _, _ in expected if m in churn_marts)


def built_warehouse() -> Path:
    path = Path(os.environ.get("CRM_DUCKDB_PATH") or PROJECT_ROOT / "warehouse" / "crm.duckdb")
    assert path.is_file(), f"the rep view's hand counts read fct_opportunities of the built warehouse: {path}"
    return path


def test_rep_view_shows_the_reps_pipeline_activities_and_win_rates(warehouse: Path) -> None:  # noqa: F811
    rep = "USR-0006"  # the demo's rep with the most closed deals
    months = [m for (m,) in hand_query(warehouse, "select month_start from main.kpi_overview order by 1")]
    start, end = months[-9], months[-3]
    at = page_test("rep").run()
    at.select_slider(key="months").set_range(f"{start:%Y-%m}", f"{end:%Y-%m}").run()
    at.selectbox(key="rep_view").select(rep).run()
    assert not at.exception, [e.value for e in at.exception]
    tiles = {m.label: m.value for m in at.metric}
    ((team, open_deals, value, weighted),) = hand_query(
        warehouse,
        "select team, open_opportunities, pipeline_value_usd, weighted_pipeline_usd from main.rep_scorecard"
        " where user_id = ? and month_start = ?",
        [rep, end],
    )
    assert tiles["Open opportunities"] == f"{open_deals:,.0f}"
    assert tiles["Pipeline value"] == usd(value)
    assert tiles["Weighted pipeline"] == usd(weighted)
    assert open_deals > 0
    # Win rate by hand: deals closed in the twelve months up to the month's snapshot day, won / (won + lost).
    ((snapshot,),) = hand_query(
        warehouse,
        "select snapshot_date from main.pipeline where dimension_name = 'all' and month_start = ?",
        [end],
    )
    with duckdb.connect(str(built_warehouse()), read_only=True) as con:
        deals = con.execute(
            "select owner_user_id, owner_team, is_won, is_lost, close_date from main.fct_opportunities where is_closed"
        ).fetchall()
    window = [d for d in deals if d[4] <= snapshot and d[4] > _year_before(snapshot)]

    def rate(rows: list[tuple]) -> str:
        won = sum(1 for r in rows if r[2])
        return f"{won / (won + sum(1 for r in rows if r[3])) * 100:.1f}%"

    assert tiles[f"Win rate, {rep} (rep)"] == rate([d for d in window if d[0] == rep])
    assert tiles[f"Win rate, Team {team}"] == rate([d for d in window if d[1] == team])
    assert tiles["Win rate, Company"] == rate(window)
    assert tiles[f"Win rate, {rep} (rep)"] != tiles["Win rate, Company"]
    # Activities by type and month: the rep's rows of activity_effectiveness over the month range.
    activity = next(df.value for df in at.dataframe if "calls" in df.value.columns)
    expected = hand_query(
        warehouse,
        "select month_start, calls, emails, meetings from main.activity_effectiveness"
        " where user_id = ? and month_start between ? and ? order by 1",
        [rep, start, end],
    )
    assert len(activity) == len(expected) > 0
    assert activity["calls"].tolist() == [r[1] for r in expected]
    assert activity["meetings"].tolist() == [r[3] for r in expected]
    activity_chart = next(s for s in chart_specs(at) if s["layout"]["title"]["text"] == "Activities by type and month")
    assert {t["name"] for t in activity_chart["data"]} >= {"Calls", "Emails", "Meetings"}
    win_chart = next(s for s in chart_specs(at) if "Win rate" in s["layout"]["title"]["text"])
    assert [t["name"] for t in win_chart["data"]] == [f"{rep} (rep)", f"Team {team}", "Company"]


def _year_before(day: date) -> date:
    """dateadd(month, -12): the same day a year earlier (29 February -> 28 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)
