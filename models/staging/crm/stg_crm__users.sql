with

base_users as (
    select * from {{ ref('base_crm__users') }}
),

latest_versions as (
    -- One row per user_id: exact duplicates collapsed, superseded versions left to quarantine.
    select * from base_users
    where _dup_rank = 1 and _key_rank = 1
),

final as (
    select
        user_id,
        full_name_hash,
        email_hash,
        role,
        team,
        manager_user_id,
        region,
        hired_at,
        is_active,
        updated_at,
        _row_number,
        _invalid_columns,
        _invalid_values
    from latest_versions
)

select * from final
