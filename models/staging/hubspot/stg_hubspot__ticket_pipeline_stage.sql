with

source_stage as (
    select * from {{ crm_source_read('hubspot', 'ticket_pipeline_stage') }}
),

final as (
    select
        trim(pipeline_id) as pipeline_id,
        trim(stage_id) as stage_id,
        nullif(trim(label), '') as stage_label,
        coalesce(lower(trim(is_closed)) = 'true', false) or upper(trim(ticket_state)) = 'CLOSED' as is_closed,
        coalesce(lower(trim(_fivetran_deleted)) = 'true', false) as is_deleted
    from source_stage
)

select * from final
