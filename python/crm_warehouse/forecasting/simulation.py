"""Monte Carlo of the bookings the open deals bring in the current and the next quarter.

Called by the dbt Python model int_forecast_simulated (models/intermediate/metrics/forecasting/). Inputs:

- snapshots: the deals open at each month-end snapshot (int_opportunities_snapshotted_monthly: snapshot_date,
  opportunity_id, owner_team, amount_usd, stage_at_snapshot, age_band, expected_close_date, rep_probability,
  age_adjusted_win_probability);
- outcomes: every deal's outcome (fct_opportunities: opportunity_id, is_closed, is_won, close_date).

Calibration (by stage and deal age): every snapshot row of a deal that has closed since is one observation of
"open at a month end in stage s and age band a": won or lost and, when won, the days from the snapshot to the close
date. A deal's cell is its (stage, age band) when that cell holds at least `min_cell_deals` observations, else its
stage's observations, else all observations; win probability = won / closed of the cell, close timing = the cell's
won days-to-close. Without any closed observation a deal keeps the warehouse's stage-and-age probability
(age_adjusted_win_probability) and its own expected close date as its timing.

Simulation: per draw, each deal is won with its probability and, when won, closes after a days-to-close drawn from
its cell's won observations; its amount books in the window containing snapshot + days. Windows: the current
quarter (the quarter of the day after the snapshot, from that day to the quarter's end) and the next quarter.
Draws are shared by every group of a snapshot (team totals add up to the overall one), seeded per snapshot from
`seed` and the snapshot's date so that a snapshot's figures do not depend on the others.
Deals without amount are counted (open_opportunities_missing_amount) but book nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

HORIZONS = ("current_quarter", "next_quarter")
OVERALL = ("all", "all")


@dataclass(frozen=True)
class SimulationSettings:
    draws: int = 10_000
    seed: int = 15
    min_cell_deals: int = 5


@dataclass(frozen=True)
class Cell:
    """Calibration of one deal: win probability and the won observations' days from snapshot to close."""

    win_probability: float
    won_days: np.ndarray
    closed_observations: int
    source: str


@dataclass(frozen=True)
class Window:
    horizon: str
    quarter_start: dt.date
    start: dt.date
    end: dt.date


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def next_quarter_start(day: dt.date) -> dt.date:
    start = quarter_start(day)
    return dt.date(start.year + 1, 1, 1) if start.month == 10 else dt.date(start.year, start.month + 3, 1)


def quarter_windows(snapshot_date: dt.date) -> list[Window]:
    """The current quarter (from the day after the snapshot) and the next quarter, inclusive dates."""
    first_day = snapshot_date + dt.timedelta(days=1)
    current = quarter_start(first_day)
    following = next_quarter_start(first_day)
    after = next_quarter_start(following)
    return [
        Window(HORIZONS[0], current, first_day, following - dt.timedelta(days=1)),
        Window(HORIZONS[1], following, following, after - dt.timedelta(days=1)),
    ]


def calibration_observations(snapshots: pd.DataFrame, outcomes: pd.DataFrame) -> pd.DataFrame:
    """One row per snapshot row of a deal closed since: stage, age_band, is_won, days_to_close (won only)."""
    closed = outcomes.loc[outcomes["is_closed"].astype(bool), ["opportunity_id", "is_won", "close_date"]]
    rows = snapshots[["snapshot_date", "opportunity_id", "stage_at_snapshot", "age_band"]].merge(
        closed, on="opportunity_id", how="inner"
    )
    close = pd.to_datetime(rows["close_date"])
    snapshot = pd.to_datetime(rows["snapshot_date"])
    rows = rows.loc[close > snapshot].copy()
    rows["is_won"] = rows["is_won"].astype(bool)
    rows["days_to_close"] = (close[close > snapshot] - snapshot[close > snapshot]).dt.days.astype(int)
    return rows[["stage_at_snapshot", "age_band", "is_won", "days_to_close"]].rename(
        columns={"stage_at_snapshot": "stage"}
    )


class Calibration:
    """Cells by (stage, age band), by stage and overall, with the fall-back order of the module docstring."""

    def __init__(self, observations: pd.DataFrame, min_cell_deals: int) -> None:
        self.min_cell_deals = min_cell_deals
        self.cells: dict[tuple[str | None, str | None], Cell] = {}
        if observations.empty:
            return
        obs = observations.assign(
            stage=observations["stage"].astype(object), age_band=observations["age_band"].astype(object)
        )
        self.cells[(None, None)] = self._cell(obs, "all_history")
        for stage, group in obs.groupby("stage", dropna=True):
            self.cells[(str(stage), None)] = self._cell(group, "stage_history")
            for band, band_group in group.groupby("age_band", dropna=True):
                self.cells[(str(stage), str(band))] = self._cell(band_group, "stage_and_age_history")

    @staticmethod
    def _cell(group: pd.DataFrame, source: str) -> Cell:
        won = group.loc[group["is_won"], "days_to_close"].to_numpy(dtype=np.int64)
        return Cell(len(won) / len(group), won, len(group), source)

    def cell_for(self, stage: str | None, age_band: str | None) -> Cell | None:
        if stage is not None and age_band is not None:
            cell = self.cells.get((stage, age_band))
            if cell is not None and cell.closed_observations >= self.min_cell_deals:
                return cell
        if stage is not None:
            cell = self.cells.get((stage, None))
            if cell is not None and cell.closed_observations >= self.min_cell_deals:
                return cell
        return self.cells.get((None, None))


def _deal_cell(deal: pd.Series, snapshot_date: dt.date, calibration: Calibration) -> Cell:
    stage = None if pd.isna(deal["stage_at_snapshot"]) else str(deal["stage_at_snapshot"])
    band = None if pd.isna(deal["age_band"]) else str(deal["age_band"])
    cell = calibration.cell_for(stage, band)
    if cell is not None:
        return cell
    probability = deal["age_adjusted_win_probability"]
    probability = 0.0 if pd.isna(probability) else float(probability)
    close = deal["expected_close_date"]
    days = np.array([], dtype=np.int64)
    if not pd.isna(close):
        days = np.array([max(1, (pd.Timestamp(close).date() - snapshot_date).days)], dtype=np.int64)
    return Cell(probability if len(days) else 0.0, days, 0, "warehouse_probability")


def simulate_snapshot(
    deals: pd.DataFrame, snapshot_date: dt.date, calibration: Calibration, settings: SimulationSettings
) -> dict[str, np.ndarray]:
    """Per window horizon: booked amount per deal and draw (deals x draws)."""
    windows = quarter_windows(snapshot_date)
    rng = np.random.default_rng([settings.seed, snapshot_date.toordinal()])
    amounts = deals["amount_usd"].astype(float).fillna(0.0).to_numpy()
    booked = {window.horizon: np.zeros((len(deals), settings.draws)) for window in windows}
    for index, (_, deal) in enumerate(deals.iterrows()):
        cell = _deal_cell(deal, snapshot_date, calibration)
        wins = rng.random(settings.draws) < cell.win_probability
        if len(cell.won_days) == 0:
            continue
        days = rng.choice(cell.won_days, size=settings.draws)
        for window in windows:
            first = (window.start - snapshot_date).days
            last = (window.end - snapshot_date).days
            booked[window.horizon][index] = np.where(wins & (days >= first) & (days <= last), amounts[index], 0.0)
    return booked


def _groups(deals: pd.DataFrame) -> list[tuple[tuple[str, str], np.ndarray]]:
    teams = deals["owner_team"].astype(object).where(deals["owner_team"].notna(), "unknown").astype(str)
    groups = [(OVERALL, np.ones(len(deals), dtype=bool))]
    groups += [(("team", team), (teams == team).to_numpy()) for team in sorted(teams.unique())]
    return groups


def _in_window(dates: pd.Series, window: Window) -> np.ndarray:
    days = pd.to_datetime(dates).dt.date
    inside = days.map(lambda day: not pd.isna(day) and window.start <= day <= window.end)
    return np.array(inside.to_list(), dtype=bool)


DATE_COLUMNS = ("snapshot_date", "quarter_start", "window_start", "window_end")


def simulate_forecasts(
    snapshots: pd.DataFrame, outcomes: pd.DataFrame, as_of_date: dt.date, settings: SimulationSettings
) -> pd.DataFrame:
    """One row per snapshot, horizon and group (all; team): P10 / P50 / P90 and mean of the simulated bookings,
    the rep-entered forecast and, for windows ended by the as-of date, the actual bookings of those deals."""
    calibration = Calibration(calibration_observations(snapshots, outcomes), settings.min_cell_deals)
    outcome = outcomes.set_index("opportunity_id")[["is_won", "close_date"]]
    rows: list[dict[str, object]] = []
    for snapshot_value, deals in snapshots.groupby("snapshot_date", sort=True):
        snapshot_date = pd.Timestamp(snapshot_value).date()
        deals = deals.sort_values("opportunity_id").reset_index(drop=True)
        booked = simulate_snapshot(deals, snapshot_date, calibration, settings)
        won = deals["opportunity_id"].map(outcome["is_won"]).eq(True).to_numpy(dtype=bool)
        close_dates = deals["opportunity_id"].map(outcome["close_date"])
        amounts = deals["amount_usd"].astype(float)
        has_amount = amounts.notna().to_numpy()
        expected_close = deals["expected_close_date"]
        expected_day = pd.to_datetime(expected_close).dt.date
        overdue = np.array([not pd.isna(day) and day <= snapshot_date for day in expected_day], dtype=bool)
        rep_weighted = amounts.fillna(0.0) * deals["rep_probability"].astype(float).fillna(0.0)
        for window in quarter_windows(snapshot_date):
            rep_placed = _in_window(expected_close, window).copy()
            if window.horizon == HORIZONS[0]:
                rep_placed |= overdue
            actual_in_window = won & _in_window(close_dates, window)
            is_complete = window.end <= as_of_date
            for (dimension_name, dimension_value), members in _groups(deals):
                totals = booked[window.horizon][members].sum(axis=0)
                p10, p50, p90 = (float(value) for value in np.percentile(totals, [10, 50, 90]))
                actual = float(amounts[members & actual_in_window & has_amount].sum()) if is_complete else None
                rep_forecast = float(rep_weighted[members & rep_placed].sum())
                rows.append(
                    {
                        "snapshot_date": snapshot_date,
                        "horizon": window.horizon,
                        "quarter_start": window.quarter_start,
                        "window_start": window.start,
                        "window_end": window.end,
                        "dimension_name": dimension_name,
                        "dimension_value": dimension_value,
                        "open_opportunities": int(members.sum()),
                        "open_opportunities_missing_amount": int((members & ~has_amount).sum()),
                        "pipeline_value_usd": float(amounts[members].sum()),
                        "expected_bookings_usd": float(totals.mean()),
                        "bookings_p10_usd": p10,
                        "bookings_p50_usd": p50,
                        "bookings_p90_usd": p90,
                        "rep_entered_forecast_usd": rep_forecast,
                        "actual_bookings_usd": actual,
                        "draws": settings.draws,
                        "seed": settings.seed,
                    }
                )
    columns = [
        "snapshot_date",
        "horizon",
        "quarter_start",
        "window_start",
        "window_end",
        "dimension_name",
        "dimension_value",
        "open_opportunities",
        "open_opportunities_missing_amount",
        "pipeline_value_usd",
        "expected_bookings_usd",
        "bookings_p10_usd",
        "bookings_p50_usd",
        "bookings_p90_usd",
        "rep_entered_forecast_usd",
        "actual_bookings_usd",
        "draws",
        "seed",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    if frame.empty:
        # No deal open at any snapshot (an export whose deals were all quarantined): typed date columns, so the
        # SQL over the empty table still binds (an empty object column reaches DuckDB as an integer).
        frame = frame.astype({column: "datetime64[ns]" for column in DATE_COLUMNS})
    return frame
