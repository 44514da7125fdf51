with

base_order_items as (
    select * from {{ ref('base_crm__order_items') }}
),

latest_versions as (
    -- One row per order_item_id: exact duplicates collapsed, superseded versions left to quarantine.
    select * from base_order_items
    where _dup_rank = 1 and _key_rank = 1
),

final as (
    select
        order_item_id,
        order_id,
        product_id,
        quantity,
        unit_price,
        discount_rate,
        unit_cost,
        _row_number,
        _invalid_columns,
        _invalid_values
    from latest_versions
)

select * from final
