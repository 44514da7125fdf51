with

source_contact as (
    select * from {{ crm_source_read('hubspot', 'contact') }}
),

final as (
    select
        trim(id) as contact_id,
        coalesce(lower(trim(_fivetran_deleted)) = 'true', false) as is_deleted,
        nullif(trim(property_firstname), '') as first_name,
        nullif(trim(property_lastname), '') as last_name,
        nullif(trim(property_email), '') as email,
        nullif(trim(property_jobtitle), '') as title,
        nullif(trim(property_phone), '') as phone,
        nullif(trim(property_createdate), '') as created_at,
        nullif(trim(property_associatedcompanyid), '') as company_id,
        nullif(trim(_fivetran_synced), '') as fivetran_synced
    from source_contact
)

select * from final
