-- The Pareto (Lorenz-style) curve of revenue concentration for the app: one row per customer, ranked by revenue
-- (highest first), with the share of customers up to that rank and the cumulative share of revenue they bring.
-- Customers whose revenue is unknown (no order lines in the extract, no fx rate) cannot be placed: left out.
with segments as (
    select * from {{ ref('int_account_segments_assigned') }}
),

ranked as (
    select
        account_id,
        monetary_usd,
        row_number() over (order by monetary_usd desc, account_id asc) as customer_rank,
        count(*) over () as customers,
        sum(monetary_usd) over () as total_revenue_usd,
        sum(monetary_usd) over (
            order by monetary_usd desc, account_id asc rows between unbounded preceding and current row
        ) as cumulative_revenue_usd
    from segments
    where monetary_usd is not null
),

final as (
    select
        cast(customer_rank as {{ dbt.type_int() }}) as customer_rank,
        account_id,
        cast(monetary_usd as decimal(18, 2)) as revenue_usd,
        {{ safe_divide('customer_rank', 'customers') }} as customer_rank_share,
        cast(cumulative_revenue_usd as decimal(18, 2)) as cumulative_revenue_usd,
        {{ safe_divide('cumulative_revenue_usd', 'total_revenue_usd') }} as cumulative_revenue_share,
        customer_rank <= {{ pareto_top_rank('customers') }} as is_top_customer
    from ranked
)

select * from final
