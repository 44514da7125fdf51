-- Spend per active customer per calendar quarter, split into products the customer bought again and products
-- new to it. Revenue columns are null, never 0, when no order amount is known (no order lines in the extract).
with dates as (
    select * from {{ ref('dim_date') }}
),

order_items as (
    select * from {{ ref('int_order_items_classified') }}
),

orders as (
    select * from {{ ref('fct_orders') }}
),

order_range as (
    select min(order_date) as first_order_date
    from orders
    where status = 'completed'
),

amounts as (
    select count(revenue_usd) > 0 as is_known
    from orders
),

quarters as (
    select distinct dates.quarter_start
    from dates
    cross join order_range
    where
        dates.quarter_start >= cast({{ dbt.date_trunc('quarter', 'order_range.first_order_date') }} as date)
        and dates.quarter_start <= cast({{ dbt.date_trunc('quarter', as_of_date()) }} as date)
),

order_totals as (
    select
        cast({{ dbt.date_trunc('quarter', 'order_date') }} as date) as quarter_start,
        sum(revenue_usd) as revenue_usd,
        sum(case when status = 'completed' then 1 else 0 end) as orders,
        count(distinct case when status = 'completed' then account_id end) as purchasing_customers
    from orders
    group by 1
),

product_split as (
    select
        cast({{ dbt.date_trunc('quarter', 'order_date') }} as date) as quarter_start,
        sum(case when is_product_bought_before then revenue_usd else 0 end) as same_products_revenue_usd,
        sum(case when not is_product_bought_before then revenue_usd else 0 end) as new_products_revenue_usd
    from order_items
    group by 1
),

quarterly as (
    select
        quarters.quarter_start,
        case when amounts.is_known then coalesce(order_totals.revenue_usd, 0) end as revenue_usd,
        coalesce(order_totals.orders, 0) as orders,
        coalesce(order_totals.purchasing_customers, 0) as purchasing_customers,
        case when amounts.is_known then coalesce(product_split.same_products_revenue_usd, 0) end
            as same_products_revenue_usd,
        case when amounts.is_known then coalesce(product_split.new_products_revenue_usd, 0) end
            as new_products_revenue_usd
    from quarters
    cross join amounts
    left join order_totals
        on quarters.quarter_start = order_totals.quarter_start
    left join product_split
        on quarters.quarter_start = product_split.quarter_start
),

compared as (
    select
        current_quarter.*,
        previous_quarter.revenue_usd as previous_quarter_revenue_usd
    from quarterly as current_quarter
    left join quarterly as previous_quarter
        on
            previous_quarter.quarter_start
            = cast({{ dbt.dateadd('month', -3, 'current_quarter.quarter_start') }} as date)
),

final as (
    select
        quarter_start,
        cast(revenue_usd as decimal(18, 2)) as revenue_usd,
        {{ revenue_growth('revenue_usd', 'previous_quarter_revenue_usd') }} as revenue_growth_qoq,
        cast(orders as {{ dbt.type_int() }}) as orders,
        cast(purchasing_customers as {{ dbt.type_int() }}) as purchasing_customers,
        {{ safe_divide('revenue_usd', 'purchasing_customers') }} as spend_per_active_customer_usd,
        cast(same_products_revenue_usd as decimal(18, 2)) as same_products_revenue_usd,
        cast(new_products_revenue_usd as decimal(18, 2)) as new_products_revenue_usd,
        {{ safe_divide('same_products_revenue_usd', 'purchasing_customers') }} as same_products_spend_per_customer_usd,
        {{ safe_divide('new_products_revenue_usd', 'purchasing_customers') }} as new_products_spend_per_customer_usd,
        {{ safe_divide('same_products_revenue_usd', 'revenue_usd') }} as same_products_revenue_share
    from compared
)

select * from final
