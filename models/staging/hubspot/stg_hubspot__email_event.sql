with

source_event as (
    select * from {{ crm_source_read('hubspot', 'email_event') }}
),

final as (
    select
        trim(id) as email_event_id,
        upper(nullif(trim(type), '')) as event_type,
        coalesce(lower(trim(filtered_event)) = 'true', false) as is_filtered,
        nullif(trim(email_campaign_id), '') as email_campaign_id,
        lower(nullif(trim(recipient), '')) as recipient,
        nullif(trim(created), '') as created_at
    from source_event
)

select * from final
