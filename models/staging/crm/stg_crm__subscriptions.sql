with

base_subscriptions as (
    select * from {{ ref('base_crm__subscriptions') }}
),

latest_versions as (
    -- One row per subscription_id: exact duplicates collapsed, superseded versions left to quarantine.
    select * from base_subscriptions
    where _dup_rank = 1 and _key_rank = 1
),

final as (
    select
        subscription_id,
        account_id,
        product_id,
        plan,
        mrr,
        currency,
        started_at,
        ended_at,
        renewal_date,
        status,
        updated_at,
        _row_number,
        _invalid_columns,
        _invalid_values
    from latest_versions
)

select * from final
