with

source_task as (
    select * from {{ crm_source_read('hubspot', 'engagement_task') }}
),

final as (
    select
        trim(engagement_id) as engagement_id,
        coalesce(lower(trim(_fivetran_deleted)) = 'true', false) as is_deleted,
        coalesce(
            lower(nullif(trim(property_hs_task_type), '')), lower(nullif(trim(task_type), '')), 'task'
        ) as engagement_type,
        nullif(trim(property_hubspot_owner_id), '') as owner_id,
        coalesce(nullif(trim(property_hs_timestamp), ''), nullif(trim(property_hs_createdate), '')) as occurred_at,
        cast(null as varchar) as duration_seconds
    from source_task
)

select * from final
