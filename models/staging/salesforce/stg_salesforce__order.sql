with

source as (

    select * from {{ crm_source_read('salesforce', 'order') }}

),

final as (

    select
        trim(id) as order_id,
        nullif(trim(account_id), '') as account_id,
        nullif(trim(opportunity_id), '') as opportunity_id,
        nullif(trim(status), '') as status,
        nullif(trim(effective_date), '') as effective_date,
        nullif(trim(last_modified_date), '') as last_modified_date,
        coalesce(lower(trim(is_deleted)) = 'true', false) as is_deleted
    from source

)

select * from final
