with

source as (

    select * from {{ crm_source_read('salesforce', 'opportunity') }}

),

final as (

    select
        trim(id) as opportunity_id,
        nullif(trim(account_id), '') as account_id,
        nullif(trim(owner_id), '') as owner_id,
        nullif(trim(campaign_id), '') as campaign_id,
        nullif(trim(name), '') as opportunity_name,
        nullif(trim(type), '') as opportunity_type,
        nullif(trim(stage_name), '') as stage_name,
        nullif(trim(amount), '') as amount,
        nullif(trim(probability), '') as probability,
        nullif(trim(next_step), '') as next_step,
        nullif(trim(close_date), '') as close_date,
        nullif(trim(created_date), '') as created_date,
        lower(nullif(trim(is_closed), '')) = 'true' as is_closed,
        lower(nullif(trim(is_won), '')) = 'true' as is_won,
        nullif(trim(lead_source), '') as lead_source,
        nullif(trim(forecast_category), '') as forecast_category,
        nullif(trim(_fivetran_synced), '') as fivetran_synced,
        coalesce(lower(trim(is_deleted)) = 'true', false) as is_deleted
    from source

)

select * from final
