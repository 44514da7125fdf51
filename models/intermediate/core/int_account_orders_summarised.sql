-- Completed-order history per account: the basis of customer status, tenure and order counts.
with orders as (
    select * from {{ ref('int_orders_validated') }}
    where is_valid
),

completed_orders as (
    select * from orders
    where status = 'completed'
),

summarised as (
    select
        account_id,
        min(ordered_at) as first_order_at,
        max(ordered_at) as last_order_at,
        count(*) as completed_order_count
    from completed_orders
    group by 1
),

final as (
    select * from summarised
)

select * from final
