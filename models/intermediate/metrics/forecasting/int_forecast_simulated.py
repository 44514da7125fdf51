"""Monte Carlo of the open deals' bookings in the current and the next quarter at every month-end snapshot (the
latest one is as of the as-of date): P10 / P50 / P90 per team and overall, calibrated by stage and deal age from
the deals closed since each snapshot. Method: crm_warehouse.forecasting.simulation (simulate_forecasts).
"""

from crm_warehouse.model_imports import import_method

pd = import_method("pandas")
simulation = import_method("crm_warehouse.forecasting.simulation")


def model(dbt, session):
    dbt.config(materialized="table")
    snapshots = dbt.ref("int_opportunities_snapshotted_monthly").df()
    outcomes = dbt.ref("fct_opportunities").df()[["opportunity_id", "is_closed", "is_won", "close_date"]]
    month_ends = dbt.ref("int_month_end_snapshot_dates").df()
    as_of_date = pd.Timestamp(month_ends["snapshot_date"].max()).date()
    settings = simulation.SimulationSettings(
        draws=int(dbt.config.get("forecast_simulation_draws")),
        seed=int(dbt.config.get("forecast_simulation_seed")),
        min_cell_deals=int(dbt.config.get("forecast_simulation_min_cell_deals")),
    )
    forecasts = simulation.simulate_forecasts(snapshots, outcomes, as_of_date, settings)
    # A date column even when there is no forecast row (an empty column would reach DuckDB as an integer).
    forecasts["as_of_date"] = pd.Series(pd.Timestamp(as_of_date), index=forecasts.index, dtype="datetime64[ns]")
    return forecasts
