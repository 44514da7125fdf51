{#- The monthly series revenue_trends fits, in long form (one row per series and month), each month compared with
    the previous month and the same month a year earlier. Every value is read from the mart that defines it:
    revenue_usd from revenue_monthly (completed orders net of discount), won_deals and won_amount_usd from
    win_rates (month grain, all), new_pipeline_usd = amount_usd of the deals created in the month (fct_opportunities;
    deals without amount add nothing). A series starts at its first month with a positive value and runs to the
    as-of month (months without activity are 0); revenue is left out when no order amount is known at all. -#}
with calendar as (
    select * from {{ ref('dim_date') }}
),

revenue_monthly as (
    select * from {{ ref('revenue_monthly') }}
),

win_rates as (
    select * from {{ ref('win_rates') }}
),

opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

pipeline_created as (
    select
        cast({{ dbt.date_trunc('month', 'created_date') }} as date) as month_start,
        sum(amount_usd) as new_pipeline_usd
    from opportunities
    group by 1
),

monthly_values as (
    select
        'revenue_usd' as series_name,
        month_start,
        cast(revenue_usd as double) as series_value
    from revenue_monthly
    where revenue_usd is not null
    union all
    select
        'new_pipeline_usd' as series_name,
        month_start,
        cast(new_pipeline_usd as double) as series_value
    from pipeline_created
    union all
    select
        'won_deals' as series_name,
        period_start as month_start,
        cast(won_deals as double) as series_value
    from win_rates
    where period_grain = 'month' and dimension_name = 'all'
    union all
    select
        'won_amount_usd' as series_name,
        period_start as month_start,
        cast(won_amount_usd as double) as series_value
    from win_rates
    where period_grain = 'month' and dimension_name = 'all'
),

series_starts as (
    select
        series_name,
        min(month_start) as first_month
    from monthly_values
    where series_value > 0
    group by 1
),

as_of as (
    select
        {{ as_of_date() }} as as_of_date,
        cast({{ dbt.date_trunc('month', as_of_date()) }} as date) as as_of_month
),

months as (
    select distinct calendar.month_start
    from calendar
),

series_months as (
    select
        series_starts.series_name,
        months.month_start,
        -- complete: the month's last day is before the as-of day ("today", still running)
        cast({{ dbt.dateadd('month', 1, 'months.month_start') }} as date) <= as_of.as_of_date as is_complete_month
    from series_starts
    cross join as_of
    inner join months
        on
            series_starts.first_month <= months.month_start
            and as_of.as_of_month >= months.month_start
),

filled as (
    select
        series_months.series_name,
        series_months.month_start,
        series_months.is_complete_month,
        coalesce(sum(monthly_values.series_value), 0) as series_value
    from series_months
    left join monthly_values
        on
            series_months.series_name = monthly_values.series_name
            and series_months.month_start = monthly_values.month_start
    group by 1, 2, 3
),

final as (
    select
        current_month.series_name,
        current_month.month_start,
        current_month.is_complete_month,
        current_month.series_value,
        previous_month.series_value as previous_month_value,
        current_month.series_value - previous_month.series_value as change_mom,
        {{ revenue_growth('current_month.series_value', 'previous_month.series_value') }} as growth_mom,
        last_year.series_value as same_month_last_year_value,
        current_month.series_value - last_year.series_value as change_yoy,
        {{ revenue_growth('current_month.series_value', 'last_year.series_value') }} as growth_yoy
    from filled as current_month
    left join filled as previous_month
        on
            current_month.series_name = previous_month.series_name
            and previous_month.month_start = cast({{ dbt.dateadd('month', -1, 'current_month.month_start') }} as date)
    left join filled as last_year
        on
            current_month.series_name = last_year.series_name
            and last_year.month_start = cast({{ dbt.dateadd('month', -12, 'current_month.month_start') }} as date)
)

select * from final
