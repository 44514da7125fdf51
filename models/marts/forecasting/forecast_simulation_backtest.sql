-- Backtest of forecast_simulation: over the past forecasts whose window has ended by the as-of date, how often
-- the actual bookings fell inside the simulated P10-P90 range (an 80% range: well calibrated near 0.8; far above
-- means too wide, far below too narrow), per horizon (current_quarter, next_quarter, and all = both pooled) and
-- group (all / team).
with forecasts as (
    select * from {{ ref('forecast_simulation') }}
    where actual_bookings_usd is not null
),

horizons as (
    select
        horizon,
        dimension_name,
        dimension_value,
        snapshot_date,
        actual_bookings_usd,
        bookings_p10_usd,
        bookings_p90_usd,
        is_actual_within_p10_p90
    from forecasts
    union all
    select
        'all' as horizon,
        dimension_name,
        dimension_value,
        snapshot_date,
        actual_bookings_usd,
        bookings_p10_usd,
        bookings_p90_usd,
        is_actual_within_p10_p90
    from forecasts
),

final as (
    select
        horizon,
        dimension_name,
        dimension_value,
        cast(count(*) as bigint) as backtested_forecasts,
        cast(count(case when is_actual_within_p10_p90 then 1 end) as bigint) as actuals_within_p10_p90,
        cast(count(case when actual_bookings_usd < bookings_p10_usd then 1 end) as bigint) as actuals_below_p10,
        cast(count(case when actual_bookings_usd > bookings_p90_usd then 1 end) as bigint) as actuals_above_p90,
        cast(count(case when is_actual_within_p10_p90 then 1 end) / count(*) as double) as coverage_share,
        min(snapshot_date) as first_snapshot_date,
        max(snapshot_date) as last_snapshot_date
    from horizons
    group by 1, 2, 3
)

select * from final
