with

source_stage as (
    select * from {{ crm_source_read('hubspot', 'deal_pipeline_stage') }}
),

final as (
    select
        trim(stage_id) as stage_id,
        trim(pipeline_id) as pipeline_id,
        trim(label) as stage_label,
        nullif(trim(probability), '') as probability,
        coalesce(lower(trim(is_closed)) = 'true', false) as is_closed,
        coalesce(lower(trim(closed_won)) = 'true', false) as is_won,
        coalesce(lower(trim(_fivetran_deleted)) = 'true', false) as is_deleted
    from source_stage
)

select * from final
