with

base_engagement_events as (
    select * from {{ ref('base_crm__engagement_events') }}
),

latest_versions as (
    -- One row per event_id: exact duplicates collapsed, superseded versions left to quarantine.
    select * from base_engagement_events
    where _dup_rank = 1 and _key_rank = 1
),

final as (
    select
        event_id,
        event_type,
        contact_id,
        lead_id,
        account_id,
        campaign_id,
        occurred_at,
        _row_number,
        _invalid_columns,
        _invalid_values
    from latest_versions
)

select * from final
