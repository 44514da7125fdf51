-- How close was the pipeline forecast made at the end of each quarter to the won amount of the next quarter?
with forecast as (
    select * from {{ ref('forecast') }}
),

build_info as (
    select * from {{ ref('warehouse_build_info') }}
),

quarter_end_forecasts as (
    select
        cast(date_trunc('quarter', target_month_start) as date) as target_quarter_start,
        snapshot_date,
        target_month_start,
        expected_revenue_usd,
        run_rate_revenue_usd,
        quota_usd,
        actual_won_amount_usd,
        actual_revenue_usd
    from forecast
    where
        month(forecast_month_start) in (3, 6, 9, 12)
        and snapshot_date = last_day(forecast_month_start)
),

quarters as (
    select
        target_quarter_start,
        min(snapshot_date) as snapshot_date,
        count(*) as target_months,
        count(actual_won_amount_usd) as months_with_actuals,
        sum(expected_revenue_usd) as expected_revenue_usd,
        sum(run_rate_revenue_usd) as run_rate_revenue_usd,
        sum(quota_usd) as quota_usd,
        sum(actual_won_amount_usd) as actual_won_amount_usd,
        sum(actual_revenue_usd) as actual_revenue_usd
    from quarter_end_forecasts
    group by 1
),

final as (
    select
        quarters.target_quarter_start,
        quarters.snapshot_date,
        quarters.months_with_actuals,
        last_day(quarters.target_quarter_start + interval 2 month) < build_info.as_of_date as is_quarter_complete,
        quarters.expected_revenue_usd,
        quarters.actual_won_amount_usd,
        quarters.actual_won_amount_usd - quarters.expected_revenue_usd as forecast_error_usd,
        {{ safe_divide(
            'abs(quarters.actual_won_amount_usd - quarters.expected_revenue_usd)',
            'quarters.actual_won_amount_usd'
        ) }} as absolute_percentage_error,
        quarters.run_rate_revenue_usd,
        quarters.actual_revenue_usd,
        quarters.quota_usd
    from quarters
    cross join build_info
)

select * from final
order by 1
