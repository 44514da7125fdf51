with

base_accounts as (
    select * from {{ ref('base_crm__accounts') }}
),

latest_versions as (
    -- One row per account_id: exact duplicates collapsed, superseded versions left to quarantine.
    select * from base_accounts
    where _dup_rank = 1 and _key_rank = 1
),

final as (
    select
        account_id,
        account_name,
        industry,
        employee_count,
        annual_revenue,
        region,
        country,
        tier,
        owner_user_id,
        created_by_user_id,
        created_at,
        updated_at,
        _row_number,
        _invalid_columns,
        _invalid_values
    from latest_versions
)

select * from final
