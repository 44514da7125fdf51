-- Cross-check: total revenue is the same whichever way it is cut. revenue_monthly (by month), revenue_quarterly
-- (by quarter), customer_profitability (by account), segment_summary 'all' and customer_segments (by customer),
-- and the completed orders of fct_orders must agree to the cent. Returns the marts whose total differs.
with orders as (
    select * from {{ ref('fct_orders') }}
),

revenue_monthly as (
    select * from {{ ref('revenue_monthly') }}
),

revenue_quarterly as (
    select * from {{ ref('revenue_quarterly') }}
),

customer_profitability as (
    select * from {{ ref('customer_profitability') }}
),

customer_segments as (
    select * from {{ ref('customer_segments') }}
),

segment_summary as (
    select * from {{ ref('segment_summary') }}
),

fact_total as (
    select coalesce(sum(revenue_usd), 0) as revenue_usd
    from orders
    where status = 'completed' and order_date <= {{ as_of_date() }}
),

mart_totals as (
    select
        'revenue_monthly' as mart,
        coalesce(sum(revenue_usd), 0) as revenue_usd
    from revenue_monthly
    union all
    select
        'revenue_quarterly' as mart,
        coalesce(sum(revenue_usd), 0) as revenue_usd
    from revenue_quarterly
    union all
    select
        'customer_profitability' as mart,
        coalesce(sum(revenue_usd), 0) as revenue_usd
    from customer_profitability
    union all
    select
        'customer_segments' as mart,
        coalesce(sum(monetary_usd), 0) as revenue_usd
    from customer_segments
    union all
    select
        'segment_summary' as mart,
        coalesce(sum(revenue_usd), 0) as revenue_usd
    from segment_summary
    where dimension_name = 'all'
),

final as (
    select
        mart_totals.mart,
        mart_totals.revenue_usd as mart_revenue_usd,
        fact_total.revenue_usd as fct_orders_revenue_usd
    from mart_totals
    cross join fact_total
    where abs(mart_totals.revenue_usd - fact_total.revenue_usd) >= 0.01
)

select * from final
