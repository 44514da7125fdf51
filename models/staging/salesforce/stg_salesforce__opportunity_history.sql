with

source as (

    select * from {{ crm_source_read('salesforce', 'opportunity_history') }}

),

final as (

    select
        trim(id) as opportunity_id,
        nullif(trim(_fivetran_start), '') as fivetran_start,
        nullif(trim(stage_name), '') as stage_name,
        nullif(trim(amount), '') as amount,
        coalesce(lower(trim(_fivetran_active)) <> 'false', true) as is_active,
        coalesce(lower(trim(is_deleted)) = 'true', false) as is_deleted
    from source

)

select * from final
