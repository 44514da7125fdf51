{#- Headline KPIs per month for the app's first page. Every number is SELECTED from the mart that owns it
    (no formula is recomputed here); the month spine is revenue_monthly's. -#}
with revenue_monthly as (
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
        weighted_pipeline_usd
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
        revenue_monthly.month_start,
        revenue_monthly.revenue_usd,
        revenue_monthly.revenue_growth_mom,
        revenue_monthly.net_new_revenue_usd,
        monthly_win_rates.win_rate,
        coalesce(monthly_win_rates.won_deals, 0) as won_deals,
        monthly_pipeline.pipeline_value_usd as open_pipeline_usd,
        monthly_pipeline.weighted_pipeline_usd,
        monthly_sales_cycle.median_cycle_days as median_sales_cycle_days,
        customer_churn.logo_churn_rate,
        customer_churn.customers_active_at_end as active_customers,
        revenue_retention.end_mrr_usd as mrr_usd,
        revenue_retention.net_revenue_retention,
        revenue_retention.gross_revenue_retention,
        monthly_perception.nps,
        monthly_perception.csat_mean,
        monthly_acquisition.cac_usd,
        monthly_acquisition.clv_to_cac_ratio
    from revenue_monthly
    left join monthly_win_rates on revenue_monthly.month_start = monthly_win_rates.month_start
    left join monthly_pipeline on revenue_monthly.month_start = monthly_pipeline.month_start
    left join monthly_sales_cycle on revenue_monthly.month_start = monthly_sales_cycle.month_start
    left join customer_churn on revenue_monthly.month_start = customer_churn.month_start
    left join revenue_retention on revenue_monthly.month_start = revenue_retention.month_start
    left join monthly_perception on revenue_monthly.month_start = monthly_perception.month_start
    left join monthly_acquisition on revenue_monthly.month_start = monthly_acquisition.month_start
)

select * from final
