with

base_products as (
    select * from {{ ref('base_crm__products') }}
),

latest_versions as (
    -- One row per product_id: exact duplicates collapsed, superseded versions left to quarantine.
    select * from base_products
    where _dup_rank = 1 and _key_rank = 1
),

final as (
    select
        product_id,
        product_name,
        product_family,
        tier,
        list_price,
        unit_cost,
        is_subscription,
        updated_at,
        _row_number,
        _invalid_columns,
        _invalid_values
    from latest_versions
)

select * from final
