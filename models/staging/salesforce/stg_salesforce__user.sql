with

source as (

    select * from {{ crm_source_read('salesforce', 'user') }}

),

final as (

    select
        trim(id) as user_id,
        nullif(trim(name), '') as full_name,
        nullif(trim(email), '') as email,
        lower(nullif(trim(is_active), '')) = 'true' as is_active,
        nullif(trim(user_role_id), '') as user_role_id,
        nullif(trim(manager_id), '') as manager_id,
        nullif(trim(_fivetran_synced), '') as fivetran_synced,
        coalesce(lower(trim(_fivetran_deleted)) = 'true', false) as is_deleted
    from source

)

select * from final
