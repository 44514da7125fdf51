"""crm_warehouse.forecasting.simulation on hand-made deals whose answer is known (issue 15, forecast_simulation)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from crm_warehouse.forecasting.simulation import (
    Calibration,
    SimulationSettings,
    calibration_observations,
    quarter_windows,
    simulate_forecasts,
)

SNAPSHOT = dt.date(2026, 1, 31)
AS_OF = dt.date(2026, 7, 15)


def _snapshot_row(opportunity_id: str, snapshot: dt.date, **values: object) -> dict[str, object]:
    row: dict[str, object] = {
        "snapshot_date": snapshot,
        "opportunity_id": opportunity_id,
        "owner_team": "T1",
        "amount_usd": 100.0,
        "stage_at_snapshot": "demo",
        "age_band": "on_track",
        "expected_close_date": dt.date(2026, 2, 20),
        "rep_probability": 0.5,
        "age_adjusted_win_probability": 0.5,
    }
    row.update(values)
    return row


def _history(won: int, lost: int, days: int, stage: str = "demo", band: str = "on_track") -> tuple[list, list]:
    """won + lost deals seen open on 2025-06-30 in stage/band, closed `days` later (won) or after 5 days (lost)."""
    snapshot = dt.date(2025, 6, 30)
    rows, outcomes = [], []
    for index in range(won + lost):
        is_won = index < won
        deal = f"H-{stage}-{band}-{index}"
        rows.append(_snapshot_row(deal, snapshot, stage_at_snapshot=stage, age_band=band))
        close = snapshot + dt.timedelta(days=days if is_won else 5)
        outcomes.append({"opportunity_id": deal, "is_closed": True, "is_won": is_won, "close_date": close})
    return rows, outcomes


def _run(snapshot_rows: list, outcome_rows: list, settings: SimulationSettings | None = None) -> pd.DataFrame:
    return simulate_forecasts(
        pd.DataFrame(snapshot_rows), pd.DataFrame(outcome_rows), AS_OF, settings or SimulationSettings()
    )


def _row(result: pd.DataFrame, snapshot: dt.date, horizon: str, value: str = "all") -> pd.Series:
    match = result[
        (result["snapshot_date"] == snapshot) & (result["horizon"] == horizon) & (result["dimension_value"] == value)
    ]
    assert len(match) == 1
    return match.iloc[0]


def test_quarter_windows_start_the_day_after_the_snapshot() -> None:
    current, following = quarter_windows(dt.date(2026, 3, 31))
    assert (current.horizon, current.quarter_start, current.start, current.end) == (
        "current_quarter",
        dt.date(2026, 4, 1),
        dt.date(2026, 4, 1),
        dt.date(2026, 6, 30),
    )
    assert (following.quarter_start, following.start, following.end) == (
        dt.date(2026, 7, 1),
        dt.date(2026, 7, 1),
        dt.date(2026, 9, 30),
    )
    current, following = quarter_windows(dt.date(2026, 11, 1))
    assert (current.start, current.end) == (dt.date(2026, 11, 2), dt.date(2026, 12, 31))
    assert (following.start, following.end) == (dt.date(2027, 1, 1), dt.date(2027, 3, 31))


def test_a_certain_deal_books_its_amount_at_every_percentile() -> None:
    # History: 5 demo / on_track deals, all won 10 days after the snapshot -> p = 1, closes 10 days later.
    history, outcomes = _history(won=5, lost=0, days=10)
    open_deal = _snapshot_row("D1", SNAPSHOT, amount_usd=250.0)
    result = _run([*history, open_deal], [*outcomes, {"opportunity_id": "D1", "is_closed": False}])
    current = _row(result, SNAPSHOT, "current_quarter")
    # 2026-01-31 + 10 days = 02-10, inside the current quarter window (02-01 .. 03-31).
    assert (current["bookings_p10_usd"], current["bookings_p50_usd"], current["bookings_p90_usd"]) == (250, 250, 250)
    assert current["expected_bookings_usd"] == 250
    following = _row(result, SNAPSHOT, "next_quarter")
    assert (following["bookings_p10_usd"], following["bookings_p90_usd"]) == (0, 0)
    assert current["draws"] == 10_000


def test_a_deal_that_never_wins_books_nothing() -> None:
    history, outcomes = _history(won=0, lost=5, days=10)
    result = _run([*history, _snapshot_row("D1", SNAPSHOT)], [*outcomes, {"opportunity_id": "D1", "is_closed": False}])
    current = _row(result, SNAPSHOT, "current_quarter")
    assert (current["bookings_p10_usd"], current["bookings_p90_usd"], current["expected_bookings_usd"]) == (0, 0, 0)


def test_two_coin_flip_deals_give_0_100_200() -> None:
    # p = 0.5 each, both close 10 days later: totals 0 / 100 / 200 with chances 1/4, 1/2, 1/4 ->
    # P10 = 0, P50 = 100, P90 = 200; mean 100 (standard error 70.7 / sqrt(10,000) = 0.71).
    history, outcomes = _history(won=5, lost=5, days=10)
    deals = [_snapshot_row("D1", SNAPSHOT), _snapshot_row("D2", SNAPSHOT)]
    open_outcomes = [{"opportunity_id": d, "is_closed": False} for d in ("D1", "D2")]
    result = _run([*history, *deals], [*outcomes, *open_outcomes])
    current = _row(result, SNAPSHOT, "current_quarter")
    assert (current["bookings_p10_usd"], current["bookings_p50_usd"], current["bookings_p90_usd"]) == (0, 100, 200)
    assert current["expected_bookings_usd"] == pytest.approx(100, abs=4)
    assert current["open_opportunities"] == 2
    assert current["pipeline_value_usd"] == 200


def test_close_timing_puts_bookings_in_the_next_quarter() -> None:
    # Won deals close 70 days after the snapshot: 2026-01-31 + 70 = 04-11, in the next quarter.
    history, outcomes = _history(won=5, lost=0, days=70)
    result = _run([*history, _snapshot_row("D1", SNAPSHOT)], [*outcomes, {"opportunity_id": "D1", "is_closed": False}])
    assert _row(result, SNAPSHOT, "current_quarter")["bookings_p90_usd"] == 0
    assert _row(result, SNAPSHOT, "next_quarter")["bookings_p10_usd"] == 100


def test_small_cells_fall_back_to_the_stage_then_all_history() -> None:
    # demo/late: 2 observations (both won), fewer than min 5 -> the stage demo: those 2 and 4 lost demo/on_track
    # observations = 2 won of 6 -> 1/3, won days {10, 10}.
    late_rows, late_outcomes = _history(won=2, lost=0, days=10, band="late")
    on_track_rows, on_track_outcomes = _history(won=0, lost=4, days=10)
    observations = calibration_observations(
        pd.DataFrame([*late_rows, *on_track_rows]), pd.DataFrame([*late_outcomes, *on_track_outcomes])
    )
    calibration = Calibration(observations, min_cell_deals=5)
    cell = calibration.cell_for("demo", "late")
    assert cell is not None
    assert (cell.source, cell.closed_observations, cell.win_probability) == ("stage_history", 6, pytest.approx(1 / 3))
    np.testing.assert_array_equal(cell.won_days, [10, 10])
    # Unknown stage -> all history (the same 6 observations).
    other = calibration.cell_for("negotiation", "stale")
    assert other is not None and other.source == "all_history"
    # With min 2 the demo/late cell itself is used: p = 1.
    own = Calibration(observations, min_cell_deals=2).cell_for("demo", "late")
    assert own is not None and (own.source, own.win_probability) == ("stage_and_age_history", 1.0)


def test_teams_add_up_and_actuals_count_won_deals_closing_in_the_window() -> None:
    # Certain deals: D1 (T1, 100) and D2 (T2, 300) both book in the current quarter. Actuals: D1 won on 02-10
    # (in the window), D2 lost -> actual 100 overall and for T1, 0 for T2; the quarter ended before AS_OF.
    history, outcomes = _history(won=5, lost=0, days=10)
    deals = [_snapshot_row("D1", SNAPSHOT), _snapshot_row("D2", SNAPSHOT, owner_team="T2", amount_usd=300.0)]
    actual = [
        {"opportunity_id": "D1", "is_closed": True, "is_won": True, "close_date": dt.date(2026, 2, 10)},
        {"opportunity_id": "D2", "is_closed": True, "is_won": False, "close_date": dt.date(2026, 2, 12)},
    ]
    result = _run([*history, *deals], [*outcomes, *actual])
    overall = _row(result, SNAPSHOT, "current_quarter")
    team_one = _row(result, SNAPSHOT, "current_quarter", "T1")
    team_two = _row(result, SNAPSHOT, "current_quarter", "T2")
    assert (overall["bookings_p50_usd"], team_one["bookings_p50_usd"], team_two["bookings_p50_usd"]) == (400, 100, 300)
    assert (overall["actual_bookings_usd"], team_one["actual_bookings_usd"], team_two["actual_bookings_usd"]) == (
        100,
        100,
        0,
    )
    # Rep view: amount x rep probability 0.5 of deals expected in the window (02-20): 50 + 150 = 200.
    assert overall["rep_entered_forecast_usd"] == 200


def test_a_window_not_ended_by_the_as_of_date_has_no_actuals() -> None:
    history, outcomes = _history(won=5, lost=0, days=10)
    snapshot = dt.date(2026, 6, 30)  # current quarter Q3 ends 09-30, after AS_OF 07-15
    result = _run([*history, _snapshot_row("D1", snapshot)], [*outcomes, {"opportunity_id": "D1", "is_closed": False}])
    assert pd.isna(_row(result, snapshot, "current_quarter")["actual_bookings_usd"])


def test_deals_without_amount_are_counted_but_book_nothing() -> None:
    history, outcomes = _history(won=5, lost=0, days=10)
    result = _run(
        [*history, _snapshot_row("D1", SNAPSHOT, amount_usd=None)],
        [*outcomes, {"opportunity_id": "D1", "is_closed": False}],
    )
    current = _row(result, SNAPSHOT, "current_quarter")
    assert (current["open_opportunities"], current["open_opportunities_missing_amount"]) == (1, 1)
    assert current["bookings_p90_usd"] == 0


def test_the_seed_makes_the_simulation_repeatable() -> None:
    history, outcomes = _history(won=3, lost=4, days=10)
    deals = [_snapshot_row(f"D{i}", SNAPSHOT, amount_usd=100.0 * i) for i in range(1, 6)]
    open_outcomes = [{"opportunity_id": f"D{i}", "is_closed": False} for i in range(1, 6)]
    first = _run([*history, *deals], [*outcomes, *open_outcomes])
    second = _run([*history, *deals], [*outcomes, *open_outcomes])
    pd.testing.assert_frame_equal(first, second)
    other = _run([*history, *deals], [*outcomes, *open_outcomes], SimulationSettings(seed=16))
    assert not first["expected_bookings_usd"].equals(other["expected_bookings_usd"])


def test_no_open_deal_gives_an_empty_frame_with_date_columns() -> None:
    """An export whose deals were all quarantined: no rows, and the mart's SQL over them still binds."""
    empty_snapshots = pd.DataFrame(columns=list(_snapshot_row("X", SNAPSHOT)))
    empty_outcomes = pd.DataFrame(columns=["opportunity_id", "is_closed", "is_won", "close_date"])
    result = simulate_forecasts(empty_snapshots, empty_outcomes, AS_OF, SimulationSettings())
    assert result.empty
    assert str(result["snapshot_date"].dtype) == "datetime64[ns]"
    import duckdb

    with duckdb.connect() as con:
        con.register("simulated", result)
        assert con.execute("select date_trunc('month', snapshot_date) from simulated").fetchall() == []
