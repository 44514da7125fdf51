with

source as (

    select * from {{ crm_source_read('salesforce', 'user_role') }}

),

final as (

    select
        trim(id) as user_role_id,
        nullif(trim(name), '') as role_name,
        nullif(trim(parent_role_id), '') as parent_role_id,
        coalesce(lower(trim(_fivetran_deleted)) = 'true', false) as is_deleted
    from source

)

select * from final
