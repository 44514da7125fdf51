with

source_call as (
    select * from {{ crm_source_read('hubspot', 'engagement_call') }}
),

final as (
    select
        trim(engagement_id) as engagement_id,
        coalesce(lower(trim(_fivetran_deleted)) = 'true', false) as is_deleted,
        'call' as engagement_type,
        cast(null as varchar) as owner_id,
        coalesce(nullif(trim(property_hs_timestamp), ''), nullif(trim(property_hs_createdate), '')) as occurred_at,
        cast(null as varchar) as duration_seconds
    from source_call
)

select * from final
