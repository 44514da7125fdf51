with

source_ticket as (
    select * from {{ crm_source_read('hubspot', 'ticket') }}
),

final as (
    select
        trim(id) as ticket_id,
        coalesce(lower(trim(is_deleted)) = 'true', false) as is_deleted,
        nullif(trim(property_hs_pipeline), '') as pipeline_id,
        nullif(trim(property_hs_pipeline_stage), '') as stage_id,
        nullif(trim(property_hs_ticket_category), '') as category,
        nullif(trim(property_hs_ticket_priority), '') as priority,
        upper(nullif(trim(property_source_type), '')) as source_type,
        nullif(trim(property_hubspot_owner_id), '') as owner_id,
        nullif(trim(property_subject), '') as subject,
        nullif(trim(property_content), '') as ticket_content,
        nullif(trim(property_createdate), '') as created_at,
        nullif(trim(property_first_agent_reply_date), '') as first_agent_reply_at,
        nullif(trim(property_closed_date), '') as closed_at,
        nullif(trim(_fivetran_synced), '') as fivetran_synced
    from source_ticket
)

select * from final
