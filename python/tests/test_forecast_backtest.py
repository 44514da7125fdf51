"""Backtest of forecast_simulation on the demo extract (issue 15): how often the actual bookings of past quarters
fell inside the simulated P10-P90 range. An 80% range should hold the actuals about 80% of the time: the target is
70-90% (too wide is as wrong as too narrow)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from dbt_helpers import assert_ok, run_dbt

from crm_warehouse import PROJECT_ROOT


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory):
    tmp: Path = tmp_path_factory.mktemp("forecast_backtest")
    skip_staging_tests = ["--exclude", "path:models/staging,resource_type:test", "--indirect-selection", "cautious"]
    result = run_dbt(
        tmp, PROJECT_ROOT / "seeds" / "demo", "build", "--select", "+forecast_simulation+", *skip_staging_tests
    )
    assert_ok(result)
    connection = duckdb.connect(str(tmp / "crm.duckdb"), read_only=True)
    yield connection
    connection.close()


def test_backtest_coverage_of_p10_p90_is_between_70_and_90_percent(warehouse) -> None:
    rows = warehouse.sql(
        "select horizon, actual_bookings_usd, bookings_p10_usd, bookings_p90_usd from main.forecast_simulation"
        " where dimension_name = 'all' and actual_bookings_usd is not null"
    ).fetchall()
    inside = [p10 <= actual <= p90 for _, actual, p10, p90 in rows]
    coverage = sum(inside) / len(inside)
    by_horizon = {
        horizon: sum(p10 <= a <= p90 for h, a, p10, p90 in rows if h == horizon)
        / sum(1 for h, *_ in rows if h == horizon)
        for horizon in ("current_quarter", "next_quarter")
    }
    print(
        f"\nforecast_simulation backtest (demo): {sum(inside)} of {len(inside)} past forecasts inside P10-P90 ="
        f" {coverage:.1%} (current quarter {by_horizon['current_quarter']:.1%},"
        f" next quarter {by_horizon['next_quarter']:.1%})"
    )
    assert len(rows) >= 20  # enough past quarters to judge
    mart = warehouse.sql(
        "select backtested_forecasts, actuals_within_p10_p90, coverage_share from main.forecast_simulation_backtest"
        " where horizon = 'all' and dimension_name = 'all'"
    ).fetchone()
    assert mart is not None
    assert mart[:2] == (len(inside), sum(inside))
    assert mart[2] == pytest.approx(coverage)
    assert 0.7 <= coverage <= 0.9


def test_latest_forecast_is_ordered_and_teams_add_up(warehouse) -> None:
    rows = warehouse.sql(
        "select horizon, dimension_name, open_opportunities, bookings_p10_usd, bookings_p50_usd, bookings_p90_usd,"
        " expected_bookings_usd, draws from main.forecast_simulation where is_latest_forecast"
    ).fetchall()
    assert {row[0] for row in rows} == {"current_quarter", "next_quarter"}
    for _, _, _, p10, p50, p90, _, draws in rows:
        assert 0 <= p10 <= p50 <= p90
        assert draws >= 10_000
    for horizon in ("current_quarter", "next_quarter"):
        overall = [r for r in rows if r[0] == horizon and r[1] == "all"]
        teams = [r for r in rows if r[0] == horizon and r[1] == "team"]
        assert len(overall) == 1
        assert overall[0][2] == sum(r[2] for r in teams)
        # Shared draws: the mean of the total is the sum of the teams' means.
        assert overall[0][6] == pytest.approx(sum(r[6] for r in teams), abs=0.05)
