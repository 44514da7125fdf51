with

source as (

    select * from {{ crm_source_read('salesforce', 'opportunity') }}

),

final as (

    select
        trim(id) as opportunity_id,
        trim(account_id) as account_id,
        trim(owner_id) as owner_id,
        trim(name) as opportunity_name,
        trim(stage_name) as stage_name,
        trim(amount) as amount,
        trim(close_date) as close_date,
        trim(created_date) as created_date,
        trim(is_closed) as is_closed,
        trim(is_won) as is_won,
        trim(lead_source) as lead_source,
        trim(forecast_category) as forecast_category,
        coalesce(lower(trim(is_deleted)) = 'true', false) as is_deleted
    from source

)

select * from final
