{#- One row per account with at least one completed order: purchase totals and the shape of its purchase
    history (the inputs of RFM, CLV and purchase-pattern consistency).
    Inter-order gap = days between consecutive completed orders (order_date, by account_order_number).
    mean / stddev (sample; rounded to 4 decimals, order values to cents) of the gaps: null below 2 / 3 orders.
    gap_trend_ratio = last gap / mean gap (> 1: the customer is buying more slowly than usual, a churn signal).
    purchases_per_year: see macros/metrics/customer_lifetime_value.sql. -#}
with orders as (
    select * from {{ ref('fct_orders') }}
    where status = 'completed'
),

order_items as (
    select * from {{ ref('int_order_items_classified') }}
),

gapped_orders as (
    select
        account_id,
        account_order_number,
        order_date,
        revenue_usd,
        cost_usd,
        {{ dbt.datediff(
            'lag(order_date) over (partition by account_id order by account_order_number)',
            'order_date',
            'day'
        ) }} as gap_days,
        row_number() over (partition by account_id order by account_order_number desc) as recency_rank
    from orders
),

order_totals as (
    select
        account_id,
        count(*) as order_count,
        min(order_date) as first_order_date,
        max(order_date) as last_order_date,
        min(case when account_order_number = 2 then order_date end) as second_order_date,
        sum(revenue_usd) as revenue_usd,
        -- unknown when an order's cost is while its revenue is known (a line kept without unit_cost)
        case when count(cost_usd) = count(revenue_usd) then sum(cost_usd) end as cost_of_goods_usd,
        avg(cast(gap_days as double)) as mean_gap_days,
        -- rounded: the streaming variance algorithm leaves float noise in the last digits
        round(stddev_samp(cast(gap_days as double)), 4) as stddev_gap_days,
        max(case when recency_rank = 1 then gap_days end) as last_gap_days,
        round(stddev_samp(cast(revenue_usd as double)), 2) as stddev_order_value_usd
    from gapped_orders
    group by 1
),

dated_totals as (
    select
        order_totals.*,
        {{ dbt.datediff(
            'last_order_date', as_of_date(), 'day'
        ) }} as recency_days,
        {{ dbt.datediff(
            'first_order_date', as_of_date(), 'day'
        ) }} as tenure_days
    from order_totals
),

product_mix as (
    select
        account_id,
        count(distinct product_family) as product_family_count,
        count(distinct product_id) as product_count
    from order_items
    group by 1
),

final as (
    select
        dated_totals.account_id,
        dated_totals.order_count,
        dated_totals.first_order_date,
        dated_totals.second_order_date,
        dated_totals.last_order_date,
        dated_totals.recency_days,
        dated_totals.tenure_days,
        dated_totals.revenue_usd,
        dated_totals.cost_of_goods_usd,
        {{ average_purchase_value('dated_totals.revenue_usd', 'dated_totals.order_count') }}
            as average_purchase_value_usd,
        dated_totals.stddev_order_value_usd,
        {{ purchases_per_year('dated_totals.order_count', 'dated_totals.tenure_days') }} as purchases_per_year,
        dated_totals.mean_gap_days,
        dated_totals.stddev_gap_days,
        dated_totals.last_gap_days,
        {{ safe_divide('dated_totals.last_gap_days', 'dated_totals.mean_gap_days') }} as gap_trend_ratio,
        coalesce(product_mix.product_family_count, 0) as product_family_count,
        coalesce(product_mix.product_count, 0) as product_count
    from dated_totals
    left join product_mix
        on dated_totals.account_id = product_mix.account_id
)

select * from final
