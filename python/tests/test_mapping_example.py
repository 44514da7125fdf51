"""The worked example end to end: examples/sales_pipeline, mapped by its mapping.yml and built with the default
thresholds, keeps every deal and gives the figures computed by hand in sales_pipeline_expected.yml.

Where the marts carry them (dimension 'all'):
  win rate           win_rates: sum(won_deals) / sum(closed_deals) over the month rows (closed deals fall in
                     their close month; no row spans all time)
  won value          win_rates: sum(won_amount_usd) over the month rows; fct_opportunities: sum(amount_usd) of won
  open deal count    pipeline: open_opportunities of the latest month (win_rates places open deals by
                     expected close period, and these have none)
  average won deal   win_rates: sum(won_amount_usd) / sum(won_deals); per quarter its average_deal_size_usd
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from subprocess import CompletedProcess

import duckdb
import pytest
import yaml
from dbt_helpers import assert_ok, make_build
from streamlit.testing.v1 import AppTest

from crm_warehouse import PROJECT_ROOT

EXAMPLE = PROJECT_ROOT / "examples" / "sales_pipeline"
EXPECTED = yaml.safe_load((Path(__file__).parent / "sales_pipeline_expected.yml").read_text())
ENTITIES = ["accounts", "products", "users", "opportunities"]


MAKE_BUILD = "make build CRM_RAW_DIR=examples/sales_pipeline CRM_MAPPING=examples/sales_pipeline/mapping.yml"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, CompletedProcess[str]]:
    """(DuckDB file, result) of the README's command: the example mapped and built with the default thresholds
    by make build (mapping, pre-flight, dbt build, summary, publish)."""
    work = tmp_path_factory.mktemp("sales_pipeline")
    result = make_build(work, MAKE_BUILD)
    return work / "crm.duckdb", result


@pytest.fixture
def warehouse(built: tuple[Path, CompletedProcess[str]]) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(built[0]), read_only=True)
    yield connection
    connection.close()


def test_the_mapped_example_builds_with_the_default_thresholds(built: tuple[Path, CompletedProcess[str]]) -> None:
    assert_ok(built[1])
    # make build published the app's copy and told the user what the mapping changed.
    assert (built[0].parent / "crm_app.duckdb").is_file()
    assert "opportunities (sales_pipeline.csv)" in built[1].stdout


def test_every_row_is_accounted_for(warehouse: duckdb.DuckDBPyConnection) -> None:
    rows = warehouse.sql(
        "select entity, raw_rows, valid_rows, flagged_rows, quarantined_rows, is_balanced"
        " from main_intermediate.data_quality__row_accounting"
    ).fetchall()
    assert [entity for entity, *_, balanced in rows if not balanced] == []
    counts = {entity: list(numbers) for entity, *numbers, _ in rows if entity in ENTITIES}
    assert counts == EXPECTED["row_accounting"]


def test_no_deal_is_quarantined_and_every_deal_reaches_the_fact(warehouse: duckdb.DuckDBPyConnection) -> None:
    quarantined = warehouse.sql(
        "select source_key, failed_checks from main_intermediate.quarantine where entity = 'opportunities'"
    ).fetchall()
    assert quarantined == []
    (deals,) = warehouse.sql("select count(*) from fct_opportunities").fetchone()
    assert deals == EXPECTED["deals"]


def test_flagged_values_are_listed(warehouse: duckdb.DuckDBPyConnection) -> None:
    issues = warehouse.sql(
        "select entity || '.' || column_name, rule, count(*)"
        " from main_intermediate.data_quality__value_issues group by 1, 2"
    ).fetchall()
    assert {key: [rule, count] for key, rule, count in issues} == EXPECTED["value_issues"]


def test_the_hand_computed_figures_equal_the_marts(warehouse: duckdb.DuckDBPyConnection) -> None:
    # win_rates places open deals by expected close period; the example's open deals have none, so the open
    # count comes from the pipeline snapshot below.
    won, closed, lost, won_value = warehouse.sql(
        "select sum(won_deals), sum(closed_deals), sum(lost_deals), sum(won_amount_usd)"
        " from win_rates where period_grain = 'month' and dimension_name = 'all'"
    ).fetchone()
    assert (won, lost, closed) == (EXPECTED["won_deals"], EXPECTED["lost_deals"], EXPECTED["closed_deals"])
    assert won / closed == EXPECTED["win_rate"]
    assert won_value == Decimal(str(EXPECTED["won_value_usd"]))
    assert won_value / won == Decimal(str(EXPECTED["average_won_deal_usd"]))
    (fact_won_value,) = warehouse.sql("select sum(amount_usd) from fct_opportunities where is_won").fetchone()
    assert fact_won_value == won_value
    (latest_open,) = warehouse.sql(
        "select open_opportunities from pipeline where dimension_name = 'all'"
        " and month_start = (select max(month_start) from pipeline)"
    ).fetchone()
    assert latest_open == EXPECTED["open_deals"]


def test_quarterly_win_rates_and_average_deal_size(warehouse: duckdb.DuckDBPyConnection) -> None:
    rows = warehouse.sql(
        "select period_start, won_deals, lost_deals, won_amount_usd, win_rate, average_deal_size_usd from win_rates"
        " where period_grain = 'quarter' and dimension_name = 'all' and closed_deals > 0 order by 1"
    ).fetchall()
    expected = {dt.date.fromisoformat(start): values for start, values in EXPECTED["by_close_quarter"].items()}
    assert {start: [won, lost, float(value)] for start, won, lost, value, *_ in rows} == expected
    for _, won, lost, value, win_rate, average in rows:
        assert win_rate == pytest.approx(won / (won + lost))
        assert average == pytest.approx(float(value) / won)


def test_the_overview_counts_every_won_deal(warehouse: duckdb.DuckDBPyConnection) -> None:
    (won,) = warehouse.sql("select sum(won_deals) from kpi_overview").fetchone()
    assert won == EXPECTED["won_deals"]


def test_the_overview_page_shows_the_deal_kpis_of_the_mapped_export(
    built: tuple[Path, CompletedProcess[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    app_copy = built[0].parent / "crm_app.duckdb"
    monkeypatch.setenv("CRM_APP_DUCKDB", str(app_copy))
    with duckdb.connect(str(app_copy), read_only=True) as connection:
        (as_of,) = connection.sql("select max(month_start) from main.kpi_overview").fetchone()
        # The page opens on the last complete month: the one before the as-of month.
        shown = (as_of - dt.timedelta(days=1)).replace(day=1)
        win_rate, revenue = connection.execute(
            "select win_rate, revenue_usd from main.kpi_overview where month_start = ?", [shown]
        ).fetchone()
    at = AppTest.from_string("from crm_warehouse.app.main import run\nrun('overview')", default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(f"Month {shown:%B %Y}" in caption.value for caption in at.caption)
    metrics = {metric.label: metric.value for metric in at.metric}
    assert win_rate is not None and metrics["Win rate"] == f"{float(win_rate) * 100:.1f}%"
    assert revenue is None and metrics["Revenue"] == "no data"  # the export has no orders
