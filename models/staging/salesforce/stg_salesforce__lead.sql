with

source as (

    select * from {{ crm_source_read('salesforce', 'lead') }}

),

final as (

    select
        trim(id) as lead_id,
        nullif(trim(first_name), '') as first_name,
        nullif(trim(last_name), '') as last_name,
        nullif(trim(email), '') as email,
        nullif(trim(company), '') as company,
        nullif(trim(lead_source), '') as lead_source,
        nullif(trim(status), '') as status,
        nullif(trim(owner_id), '') as owner_id,
        nullif(trim(created_by_id), '') as created_by_id,
        nullif(trim(created_date), '') as created_date,
        coalesce(lower(trim(is_converted)) = 'true', false) as is_converted,
        nullif(trim(converted_date), '') as converted_date,
        nullif(trim(converted_account_id), '') as converted_account_id,
        nullif(trim(converted_opportunity_id), '') as converted_opportunity_id,
        nullif(trim(last_modified_date), '') as last_modified_date,
        coalesce(lower(trim(is_deleted)) = 'true', false) as is_deleted
    from source

)

select * from final
