{#- The meeting table carries no _fivetran_deleted column: every meeting is kept. Owner and the call and meeting
    type (hs_activity_type, e.g. Demo) are optional columns, null when the export lacks them. -#}
with

source_meeting as (
    select * from {{ crm_source_read('hubspot', 'engagement_meeting') }}
),

meeting_times as (
    select
        *,
        try_cast(nullif(trim(start_time), '') as timestamp) as meeting_start,
        try_cast(nullif(trim(end_time), '') as timestamp) as meeting_end
    from source_meeting
),

final as (
    select
        trim(engagement_id) as engagement_id,
        false as is_deleted,
        coalesce(lower(nullif(trim(property_hs_activity_type), '')), 'meeting') as engagement_type,
        nullif(trim(property_hubspot_owner_id), '') as owner_id,
        nullif(trim(start_time), '') as occurred_at,
        cast({{ dbt.datediff('meeting_start', 'meeting_end', 'second') }} as varchar) as duration_seconds  -- noqa: LT05
    from meeting_times
)

select * from final
