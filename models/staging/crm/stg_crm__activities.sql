with

base_activities as (
    select * from {{ ref('base_crm__activities') }}
),

latest_versions as (
    -- One row per activity_id: exact duplicates collapsed, superseded versions left to quarantine.
    select * from base_activities
    where _dup_rank = 1 and _key_rank = 1
),

final as (
    select
        activity_id,
        activity_type,
        user_id,
        account_id,
        contact_id,
        lead_id,
        opportunity_id,
        occurred_at,
        duration_seconds,
        is_connected,
        _row_number,
        _invalid_columns,
        _invalid_values
    from latest_versions
)

select * from final
