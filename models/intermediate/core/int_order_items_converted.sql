{{ config(materialized='view') }}
-- Order lines with their order's attributes and amounts in USD at the rate of the order date (fallback: latest
-- earlier rate). Each line amount is rounded to cents here, so order totals (fct_orders) are exact sums of the
-- lines (fct_order_items). Revenue and cost count only for completed orders; a line whose order was quarantined
-- keeps its row with null order attributes and null USD amounts.
with order_items as (
    select * from {{ ref('int_order_items_validated') }}
    where is_valid
),

orders as (
    select * from {{ ref('int_orders_validated') }}
    where is_valid
),

lines as (
    select
        order_items.order_item_id,
        order_items.order_id,
        orders.account_id,
        order_items.product_id,
        orders.ordered_at,
        cast(orders.ordered_at as date) as order_date,
        orders.updated_at as order_updated_at,
        orders.status,
        orders.currency,
        order_items.quantity,
        order_items.unit_price,
        coalesce(order_items.discount_rate, 0) as discount_rate,
        order_items.unit_cost
    from order_items
    left join orders
        on order_items.order_id = orders.order_id
),

converted as (
    select
        lines.*,
        fx.rate_to_usd as fx_rate_to_usd,
        cast(round(cast(lines.quantity * lines.unit_price as double) * fx.rate_to_usd, 2) as decimal(18, 2))
            as gross_revenue_usd,
        cast(round(
            cast(lines.quantity * lines.unit_price * lines.discount_rate as double) * fx.rate_to_usd, 2
        ) as decimal(18, 2)) as discount_usd,
        cast(round(cast(lines.quantity * lines.unit_cost as double) * fx.rate_to_usd, 2) as decimal(18, 2))
            as line_cost_usd
    from lines
    {{ join_fx_rate('lines.currency', 'lines.order_date') }}
),

priced as (
    select
        order_item_id,
        order_id,
        account_id,
        product_id,
        ordered_at,
        order_date,
        order_updated_at,
        status,
        currency,
        quantity,
        unit_price,
        discount_rate,
        unit_cost,
        fx_rate_to_usd,
        gross_revenue_usd,
        discount_usd,
        case
            when status = 'completed' then gross_revenue_usd - discount_usd
            when status is not null then 0
        end as revenue_usd,
        case
            when status = 'completed' then line_cost_usd
            when status is not null then 0
        end as cost_usd
    from converted
),

final as (
    select
        priced.*,
        priced.revenue_usd - priced.cost_usd as margin_usd
    from priced
)

select * from final
