-- One definition: revenue_trends' actual values are the marts' own figures - revenue_usd from revenue_monthly,
-- won_deals and won_amount_usd from win_rates (month, all) - in every month the series covers. Returns mismatches.
with trends as (
    select * from {{ ref('revenue_trends') }}
    where not is_forecast
),

revenue_monthly as (
    select * from {{ ref('revenue_monthly') }}
),

win_rates as (
    select * from {{ ref('win_rates') }}
    where period_grain = 'month' and dimension_name = 'all'
),

expected as (
    select
        'revenue_usd' as series_name,
        month_start,
        cast(revenue_usd as double) as expected_value
    from revenue_monthly
    union all
    select
        'won_deals' as series_name,
        period_start as month_start,
        cast(won_deals as double) as expected_value
    from win_rates
    union all
    select
        'won_amount_usd' as series_name,
        period_start as month_start,
        cast(won_amount_usd as double) as expected_value
    from win_rates
),

final as (
    select
        trends.series_name,
        trends.series_month,
        trends.actual_value,
        expected.expected_value
    from trends
    left join expected
        on
            trends.series_name = expected.series_name
            and trends.series_month = expected.month_start
    where
        trends.series_name in ('revenue_usd', 'won_deals', 'won_amount_usd')
        and abs(trends.actual_value - coalesce(expected.expected_value, 0)) > 0.005
)

select * from final
