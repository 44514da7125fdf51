with

source_call as (
    select * from {{ crm_source_read('hubspot', 'engagement_call') }}
),

final as (
    select
        trim(engagement_id) as engagement_id,
        coalesce(lower(trim(_fivetran_deleted)) = 'true', false) as is_deleted,
        coalesce(lower(nullif(trim(property_hs_activity_type), '')), 'call') as engagement_type,
        nullif(trim(property_hubspot_owner_id), '') as owner_id,
        coalesce(nullif(trim(property_hs_timestamp), ''), nullif(trim(property_hs_createdate), '')) as occurred_at,
        cast(
            cast(round(try_cast(nullif(trim(property_hs_call_duration), '') as double) / 1000) as bigint) as varchar
        ) as duration_seconds
    from source_call
)

select * from final
