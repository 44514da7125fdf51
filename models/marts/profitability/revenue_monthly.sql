-- Revenue per calendar month: growth, APV, revenue streams, upsell / cross-sell and repeat purchase rate.
-- Rules (streams, expansion) live in int_order_items_classified; formulas in macros/metrics.
-- A month without orders has revenue 0, but when no order amount is known at all (the extract has no order lines:
-- order_items declared absent) revenue, streams and expansion are null, never 0; order and customer counts stay.
with dates as (
    select * from {{ ref('dim_date') }}
),

orders as (
    select * from {{ ref('fct_orders') }}
),

order_items as (
    select * from {{ ref('int_order_items_classified') }}
),

purchases as (
    select * from {{ ref('int_account_purchases_profiled') }}
),

order_range as (
    select min(order_month) as first_month
    from orders
    where status = 'completed'
),

amounts as (
    select count(revenue_usd) > 0 as is_known
    from orders
),

months as (
    select distinct dates.month_start
    from dates
    cross join order_range
    where
        dates.month_start >= order_range.first_month
        and dates.month_start <= cast({{ dbt.date_trunc('month', as_of_date()) }} as date)
),

order_totals as (
    select
        order_month as month_start,
        sum(revenue_usd) as revenue_usd,
        sum(case when status = 'completed' then 1 else 0 end) as orders,
        count(distinct case when status = 'completed' then account_id end) as purchasing_customers
    from orders
    group by 1
),

stream_totals as (
    select
        order_month as month_start,
        sum(case when revenue_stream = 'net_new' then revenue_usd else 0 end) as net_new_revenue_usd,
        sum(case when revenue_stream = 'renewal' then revenue_usd else 0 end) as renewal_revenue_usd,
        sum(case when revenue_stream = 'repeat' then revenue_usd else 0 end) as repeat_revenue_usd,
        sum(case when expansion_type = 'upsell' then revenue_usd else 0 end) as upsell_revenue_usd,
        sum(case when expansion_type = 'cross_sell' then revenue_usd else 0 end) as cross_sell_revenue_usd
    from order_items
    group by 1
),

expansion_customers as (
    select
        order_items.order_month as month_start,
        count(distinct case when order_items.expansion_type = 'upsell' then order_items.account_id end)
            as upsell_customers,
        count(distinct case when order_items.expansion_type = 'cross_sell' then order_items.account_id end)
            as cross_sell_customers
    from order_items
    inner join purchases
        on order_items.account_id = purchases.account_id
    -- rates count customers who were already customers when the month began
    where purchases.first_order_date < order_items.order_month
    group by 1
),

customer_counts as (
    select
        months.month_start,
        sum(case when purchases.first_order_date < months.month_start then 1 else 0 end) as existing_customers,
        sum(
            case when {{ dbt.date_trunc('month', 'purchases.first_order_date') }} = months.month_start then 1 else 0 end
        ) as new_customers,
        sum(
            case
                when purchases.first_order_date < {{ dbt.dateadd('month', 1, 'months.month_start') }} then 1 else 0
            end
        ) as customers_to_date,
        sum(
            case
                when purchases.second_order_date < {{ dbt.dateadd('month', 1, 'months.month_start') }} then 1 else 0
            end
        ) as repeat_customers_to_date
    from months
    cross join purchases
    group by 1
),

monthly as (
    select
        months.month_start,
        case when amounts.is_known then coalesce(order_totals.revenue_usd, 0) end as revenue_usd,
        coalesce(order_totals.orders, 0) as orders,
        coalesce(order_totals.purchasing_customers, 0) as purchasing_customers,
        case when amounts.is_known then coalesce(stream_totals.net_new_revenue_usd, 0) end as net_new_revenue_usd,
        case when amounts.is_known then coalesce(stream_totals.renewal_revenue_usd, 0) end as renewal_revenue_usd,
        case when amounts.is_known then coalesce(stream_totals.repeat_revenue_usd, 0) end as repeat_revenue_usd,
        case when amounts.is_known then coalesce(stream_totals.upsell_revenue_usd, 0) end as upsell_revenue_usd,
        case when amounts.is_known then coalesce(stream_totals.cross_sell_revenue_usd, 0) end as cross_sell_revenue_usd,
        case when amounts.is_known then coalesce(expansion_customers.upsell_customers, 0) end as upsell_customers,
        case when amounts.is_known then coalesce(expansion_customers.cross_sell_customers, 0) end
            as cross_sell_customers,
        coalesce(customer_counts.existing_customers, 0) as existing_customers,
        coalesce(customer_counts.new_customers, 0) as new_customers,
        coalesce(customer_counts.customers_to_date, 0) as customers_to_date,
        coalesce(customer_counts.repeat_customers_to_date, 0) as repeat_customers_to_date
    from months
    cross join amounts
    left join order_totals
        on months.month_start = order_totals.month_start
    left join stream_totals
        on months.month_start = stream_totals.month_start
    left join expansion_customers
        on months.month_start = expansion_customers.month_start
    left join customer_counts
        on months.month_start = customer_counts.month_start
),

compared as (
    select
        current_month.*,
        previous_month.revenue_usd as previous_month_revenue_usd,
        last_year.revenue_usd as same_month_last_year_revenue_usd
    from monthly as current_month
    left join monthly as previous_month
        on previous_month.month_start = cast({{ dbt.dateadd('month', -1, 'current_month.month_start') }} as date)
    left join monthly as last_year
        on last_year.month_start = cast({{ dbt.dateadd('month', -12, 'current_month.month_start') }} as date)
),

final as (
    select
        month_start,
        cast(revenue_usd as decimal(18, 2)) as revenue_usd,
        cast(previous_month_revenue_usd as decimal(18, 2)) as previous_month_revenue_usd,
        {{ revenue_growth('revenue_usd', 'previous_month_revenue_usd') }} as revenue_growth_mom,
        cast(same_month_last_year_revenue_usd as decimal(18, 2)) as same_month_last_year_revenue_usd,
        {{ revenue_growth('revenue_usd', 'same_month_last_year_revenue_usd') }} as revenue_growth_yoy,
        cast(orders as {{ dbt.type_int() }}) as orders,
        cast({{ average_purchase_value('revenue_usd', 'orders') }} as double) as average_purchase_value_usd,
        cast(net_new_revenue_usd as decimal(18, 2)) as net_new_revenue_usd,
        cast(renewal_revenue_usd as decimal(18, 2)) as renewal_revenue_usd,
        cast(repeat_revenue_usd as decimal(18, 2)) as repeat_revenue_usd,
        cast(renewal_revenue_usd + repeat_revenue_usd as decimal(18, 2)) as repeat_and_renewal_revenue_usd,
        cast(upsell_revenue_usd as decimal(18, 2)) as upsell_revenue_usd,
        cast(cross_sell_revenue_usd as decimal(18, 2)) as cross_sell_revenue_usd,
        cast(existing_customers as {{ dbt.type_int() }}) as existing_customers,
        cast(upsell_customers as {{ dbt.type_int() }}) as upsell_customers,
        {{ safe_divide('upsell_customers', 'existing_customers') }} as upsell_rate,
        cast(cross_sell_customers as {{ dbt.type_int() }}) as cross_sell_customers,
        {{ safe_divide('cross_sell_customers', 'existing_customers') }} as cross_sell_rate,
        cast(purchasing_customers as {{ dbt.type_int() }}) as purchasing_customers,
        cast(new_customers as {{ dbt.type_int() }}) as new_customers,
        cast(customers_to_date as {{ dbt.type_int() }}) as customers_to_date,
        cast(repeat_customers_to_date as {{ dbt.type_int() }}) as repeat_customers_to_date,
        {{ repeat_purchase_rate('repeat_customers_to_date', 'customers_to_date') }} as repeat_purchase_rate
    from compared
)

select * from final
