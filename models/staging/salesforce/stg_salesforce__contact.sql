with

source as (

    select * from {{ crm_source_read('salesforce', 'contact') }}

),

final as (

    select
        trim(id) as contact_id,
        nullif(trim(account_id), '') as account_id,
        nullif(trim(first_name), '') as first_name,
        nullif(trim(last_name), '') as last_name,
        nullif(trim(email), '') as email,
        nullif(trim(phone), '') as phone,
        nullif(trim(title), '') as title,
        nullif(trim(created_by_id), '') as created_by_id,
        nullif(trim(created_date), '') as created_date,
        nullif(trim(last_modified_date), '') as last_modified_date,
        coalesce(lower(trim(is_deleted)) = 'true', false) as is_deleted
    from source

)

select * from final
