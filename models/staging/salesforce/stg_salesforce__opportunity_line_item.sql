with

source as (

    select * from {{ crm_source_read('salesforce', 'opportunity_line_item') }}

),

final as (

    select
        trim(id) as line_item_id,
        nullif(trim(opportunity_id), '') as opportunity_id,
        nullif(trim(product_2_id), '') as product_id,
        nullif(trim(quantity), '') as quantity,
        nullif(trim(unit_price), '') as unit_price,
        nullif(trim(list_price), '') as list_price,
        nullif(trim(discount), '') as discount,
        coalesce(lower(trim(is_deleted)) = 'true', false) as is_deleted
    from source

)

select * from final
