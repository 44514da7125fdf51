{{
    config(
        materialized='incremental',
        unique_key='order_item_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail'
    )
}}
-- One row per valid order line with product attributes and USD revenue, cost and margin (converted once, in
-- int_order_items_converted). Lines whose order was quarantined keep their row with null order attributes.
-- Incremental on the order's updated_at with a lookback of var incremental_lookback_days.
with order_items as (
    select * from {{ ref('int_order_items_converted') }}
),

products as (
    select * from {{ ref('dim_products') }}
),

new_order_items as (
    select * from order_items
    {% if is_incremental() %}
        -- lines of orders updated in the lookback window, and any line not loaded yet (a line added to an order
        -- whose updated_at did not move: fct_orders re-totals that order, so its lines must be here too)
        where
            order_updated_at is null
            or order_updated_at >= (
                select {{ dbt.dateadd('day', -var('incremental_lookback_days'), 'max(order_updated_at)') }}
                from {{ this }}
            )
            or order_item_id not in (select loaded.order_item_id from {{ this }} as loaded)
    {% endif %}
),

final as (
    select
        new_order_items.order_item_id,
        new_order_items.order_id,
        new_order_items.account_id,
        new_order_items.product_id,
        products.product_family,
        products.tier as product_tier,
        products.tier_rank,
        new_order_items.order_date,
        cast({{ dbt.date_trunc('month', 'new_order_items.order_date') }} as date) as order_month,
        new_order_items.status,
        cast(new_order_items.quantity as {{ dbt.type_int() }}) as quantity,
        cast(new_order_items.unit_price as decimal(18, 4)) as unit_price,
        cast(new_order_items.discount_rate as double) as discount_rate,
        cast(new_order_items.revenue_usd as decimal(18, 2)) as revenue_usd,
        cast(new_order_items.cost_usd as decimal(18, 2)) as cost_usd,
        cast(new_order_items.margin_usd as decimal(18, 2)) as margin_usd,
        cast(new_order_items.gross_revenue_usd as decimal(18, 2)) as gross_revenue_usd,
        cast(new_order_items.discount_usd as decimal(18, 2)) as discount_usd,
        new_order_items.currency,
        new_order_items.fx_rate_to_usd,
        new_order_items.ordered_at,
        new_order_items.order_updated_at
    from new_order_items
    left join products
        on new_order_items.product_id = products.product_id
)

select * from final
