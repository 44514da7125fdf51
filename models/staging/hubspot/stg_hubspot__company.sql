with

source_company as (
    select * from {{ crm_source_read('hubspot', 'company') }}
),

final as (
    select
        trim(id) as company_id,
        coalesce(lower(trim(is_deleted)) = 'true', false) as is_deleted,
        nullif(trim(property_name), '') as company_name,
        nullif(trim(property_industry), '') as industry,
        nullif(trim(property_country), '') as country,
        nullif(trim(property_annualrevenue), '') as annual_revenue,
        nullif(trim(property_numberofemployees), '') as employee_count,
        nullif(trim(property_hubspot_owner_id), '') as owner_id,
        nullif(trim(property_createdate), '') as created_at,
        nullif(trim(_fivetran_synced), '') as fivetran_synced
    from source_company
)

select * from final
