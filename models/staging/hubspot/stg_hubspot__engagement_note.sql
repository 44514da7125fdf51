with

source_note as (
    select * from {{ crm_source_read('hubspot', 'engagement_note') }}
),

final as (
    select
        trim(engagement_id) as engagement_id,
        coalesce(lower(trim(_fivetran_deleted)) = 'true', false) as is_deleted,
        'note' as engagement_type,
        nullif(trim(property_hubspot_owner_id), '') as owner_id,
        coalesce(nullif(trim(property_hs_timestamp), ''), nullif(trim(property_hs_createdate), '')) as occurred_at,
        cast(null as varchar) as duration_seconds
    from source_note
)

select * from final
