with

source as (

    select * from {{ crm_source_read('salesforce', 'account') }}

),

final as (

    select
        trim(id) as account_id,
        nullif(trim(name), '') as account_name,
        nullif(trim(industry), '') as industry,
        nullif(trim(number_of_employees), '') as number_of_employees,
        nullif(trim(annual_revenue), '') as annual_revenue,
        nullif(trim(billing_country), '') as billing_country,
        nullif(trim(owner_id), '') as owner_id,
        nullif(trim(_fivetran_synced), '') as fivetran_synced,
        coalesce(lower(trim(is_deleted)) = 'true', false) as is_deleted
    from source

)

select * from final
