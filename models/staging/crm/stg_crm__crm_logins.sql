with

base_crm_logins as (
    select * from {{ ref('base_crm__crm_logins') }}
),

latest_versions as (
    -- One row per login_id: exact duplicates collapsed, superseded versions left to quarantine.
    select * from base_crm_logins
    where _dup_rank = 1 and _key_rank = 1
),

final as (
    select
        login_id,
        user_id,
        logged_in_at,
        session_seconds,
        _row_number,
        _invalid_columns,
        _invalid_values
    from latest_versions
)

select * from final
