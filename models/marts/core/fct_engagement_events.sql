-- One row per valid marketing engagement event.
with engagement_events as (
    select * from {{ ref('int_engagement_events_validated') }}
    where is_valid
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
        cast(occurred_at as date) as event_date
    from engagement_events
)

select * from final
