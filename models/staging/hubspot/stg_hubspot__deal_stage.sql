with

source_deal_stage as (
    select * from {{ crm_source_read('hubspot', 'deal_stage') }}
),

final as (
    select
        trim(deal_id) as deal_id,
        trim(value) as stage_id,
        nullif(trim(date_entered), '') as date_entered,
        trim(_fivetran_start) as fivetran_start,
        coalesce(lower(trim(_fivetran_active)) <> 'false', true) as is_active
    from source_deal_stage
)

select * from final
