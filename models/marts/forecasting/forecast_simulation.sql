-- Forecast ranges of bookings: one row per month-end snapshot with open deals (the latest one is as of the as-of
-- date), horizon (current_quarter: from the day after the snapshot to the end of its quarter; next_quarter) and
-- group (dimension all / team). A Monte Carlo of the deals open at the snapshot (int_forecast_simulated, Python:
-- crm_warehouse.forecasting.simulation), var forecast_simulation_draws draws seeded with var
-- forecast_simulation_seed: each deal is won with the win rate of its stage and age band at month ends in
-- history and, when won, closes after a days-to-close drawn from the same cell's won deals.
-- rep_entered_forecast_usd: the reps' own view, amount x rep-entered probability of the deals whose expected
-- close date falls in the window (overdue ones in the current quarter); the raw contract has no forecast
-- category column (pipeline / best case / commit), so none is shown.
-- Actuals: bookings (won amount) of those same deals closing in the window, once the window has ended by the
-- as-of date (null before); new deals created after the snapshot are not in either side.
with simulated as (
    select * from {{ ref('int_forecast_simulated') }}
),

final as (
    select
        cast(as_of_date as date) as as_of_date,
        cast(snapshot_date as date) as snapshot_date,
        cast({{ dbt.date_trunc('month', 'snapshot_date') }} as date) as forecast_month_start,
        cast(snapshot_date as date) = cast(as_of_date as date) as is_latest_forecast,
        cast(horizon as varchar) as horizon,
        cast(quarter_start as date) as quarter_start,
        cast(window_start as date) as window_start,
        cast(window_end as date) as window_end,
        cast(dimension_name as varchar) as dimension_name,
        cast(dimension_value as varchar) as dimension_value,
        cast(open_opportunities as bigint) as open_opportunities,
        cast(open_opportunities_missing_amount as bigint) as open_opportunities_missing_amount,
        cast(pipeline_value_usd as double) as pipeline_value_usd,
        cast(round(expected_bookings_usd, 2) as double) as expected_bookings_usd,
        cast(round(bookings_p10_usd, 2) as double) as bookings_p10_usd,
        cast(round(bookings_p50_usd, 2) as double) as bookings_p50_usd,
        cast(round(bookings_p90_usd, 2) as double) as bookings_p90_usd,
        cast(round(rep_entered_forecast_usd, 2) as double) as rep_entered_forecast_usd,
        cast(actual_bookings_usd as double) as actual_bookings_usd,
        case
            when actual_bookings_usd is not null
                then actual_bookings_usd between round(bookings_p10_usd, 2) and round(bookings_p90_usd, 2)
        end as is_actual_within_p10_p90,
        cast(draws as integer) as draws,
        cast(seed as integer) as seed
    from simulated
)

select * from final
