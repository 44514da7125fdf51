with

base_orders as (
    select * from {{ ref('base_crm__orders') }}
),

latest_versions as (
    -- One row per order_id: exact duplicates collapsed, superseded versions left to quarantine.
    select * from base_orders
    where _dup_rank = 1 and _key_rank = 1
),

final as (
    select
        order_id,
        account_id,
        opportunity_id,
        ordered_at,
        status,
        currency,
        updated_at,
        _row_number,
        _invalid_columns,
        _invalid_values
    from latest_versions
)

select * from final
