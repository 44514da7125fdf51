{#- Headline KPIs per month for the app's first page. Every number is SELECTED from the mart that owns it
    (no formula is recomputed here). The month spine runs from the first month with a deal (created or closed),
    an order, a ticket or a subscription start to the as-of month, so an extract without orders still shows its
    deal KPIs. A KPI without data is null, never 0: won_deals is 0 in a month without a won deal only when the
    extract has deals at all. -#}
with calendar as (
    select * from {{ ref('dim_date') }}
),

opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

orders as (
    select * from {{ ref('fct_orders') }}
),

tickets as (
    select * from {{ ref('fct_tickets') }}
),

subscriptions as (
    select * from {{ ref('fct_subscriptions') }}
),

revenue_monthly as (
    select * from {{ ref('revenue_monthly') }}
),

win_rates as (
    select * from {{ ref('win_rates') }}
),

pipeline as (
    select * from {{ ref('pipeline') }}
),

sales_cycle as (
    select * from {{ ref('sales_cycle') }}
),

customer_churn as (
    select * from {{ ref('customer_churn') }}
),

revenue_retention as (
    select * from {{ ref('revenue_retention') }}
),

customer_perception as (
    select * from {{ ref('customer_perception') }}
),

acquisition_cost as (
    select * from {{ ref('acquisition_cost') }}
),

activity_months as (
    select cast({{ dbt.date_trunc('month', 'created_at') }} as date) as month_start
    from opportunities
    union all
    select cast({{ dbt.date_trunc('month', 'close_date') }} as date) as month_start
    from opportunities
    where is_closed
    union all
    select order_month as month_start
    from orders
    union all
    select cast({{ dbt.date_trunc('month', 'opened_at') }} as date) as month_start
    from tickets
    union all
    select cast({{ dbt.date_trunc('month', 'started_at') }} as date) as month_start
    from subscriptions
),

activity_range as (
    select min(month_start) as first_month
    from activity_months
),

months as (
    select distinct calendar.month_start
    from calendar
    cross join activity_range
    where
        calendar.month_start >= activity_range.first_month
        and calendar.month_start <= cast({{ dbt.date_trunc('month', as_of_date()) }} as date)
),

deal_presence as (
    select count(*) > 0 as has_deals
    from opportunities
),

monthly_win_rates as (
    select
        period_start as month_start,
        win_rate,
        won_deals
    from win_rates
    where period_grain = 'month' and dimension_name = 'all'
),

monthly_pipeline as (
    select
        month_start,
        pipeline_value_usd,
        weighted_pipeline_usd,
        open_opportunities_missing_amount
    from pipeline
    where dimension_name = 'all'
),

monthly_sales_cycle as (
    select
        period_start as month_start,
        median_cycle_days
    from sales_cycle
    where period_grain = 'month' and dimension_name = 'all'
),

monthly_perception as (
    select
        month_start,
        nps,
        csat_mean
    from customer_perception
    where dimension_name = 'all'
),

monthly_acquisition as (
    select
        month_start,
        cac_usd,
        clv_to_cac_ratio
    from acquisition_cost
    where attribution_level = 'total'
),

final as (
    select
        months.month_start,
        revenue_monthly.revenue_usd,
        revenue_monthly.revenue_growth_mom,
        revenue_monthly.net_new_revenue_usd,
        monthly_win_rates.win_rate,
        case
            when monthly_win_rates.won_deals is not null then monthly_win_rates.won_deals
            when deal_presence.has_deals then 0
        end as won_deals,
        monthly_pipeline.pipeline_value_usd as open_pipeline_usd,
        monthly_pipeline.weighted_pipeline_usd,
        monthly_pipeline.open_opportunities_missing_amount as open_pipeline_missing_amount,
        monthly_sales_cycle.median_cycle_days as median_sales_cycle_days,
        customer_churn.logo_churn_rate,
        customer_churn.customers_active_at_end,
        revenue_retention.end_mrr_usd as mrr_usd,
        revenue_retention.net_revenue_retention,
        revenue_retention.gross_revenue_retention,
        revenue_retention.net_revenue_retention_ttm,
        revenue_retention.gross_revenue_retention_ttm,
        monthly_perception.nps,
        monthly_perception.csat_mean,
        monthly_acquisition.cac_usd,
        monthly_acquisition.clv_to_cac_ratio
    from months
    cross join deal_presence
    left join revenue_monthly on months.month_start = revenue_monthly.month_start
    left join monthly_win_rates on months.month_start = monthly_win_rates.month_start
    left join monthly_pipeline on months.month_start = monthly_pipeline.month_start
    left join monthly_sales_cycle on months.month_start = monthly_sales_cycle.month_start
    left join customer_churn on months.month_start = customer_churn.month_start
    left join revenue_retention on months.month_start = revenue_retention.month_start
    left join monthly_perception on months.month_start = monthly_perception.month_start
    left join monthly_acquisition on months.month_start = monthly_acquisition.month_start
)

select * from final
