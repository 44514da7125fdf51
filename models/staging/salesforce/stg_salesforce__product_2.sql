with

source as (

    select * from {{ crm_source_read('salesforce', 'product_2') }}

),

final as (

    select
        trim(id) as product_id,
        nullif(trim(name), '') as product_name,
        nullif(trim(family), '') as product_family,
        lower(nullif(trim(is_active), '')) = 'true' as is_active,
        nullif(trim(last_modified_date), '') as last_modified_date,
        coalesce(lower(trim(is_deleted)) = 'true', false) as is_deleted
    from source

)

select * from final
