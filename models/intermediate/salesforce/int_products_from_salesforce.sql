{#- Salesforce products (Product2) in the contract's products shape (every value text). Excluded: is_deleted
    rows (counted). product_family through the picklist map (unmapped: lower-cased, flagged). Tier, list price and
    unit cost are not Product2 fields (list prices live in pricebook entries, not read): null, so the door
    quarantines the product as missing required values unless a contract products.csv is given instead. -#}
with

products as (

    select * from {{ ref('stg_salesforce__product_2') }}
    where not is_deleted

),

final as (

    select
        cast(product_id as varchar) as product_id,
        cast(product_name as varchar) as product_name,
        cast(
            coalesce({{ salesforce_picklist('product_family', 'product_family') }}, lower(product_family))
            as varchar
        ) as product_family,
        cast(null as varchar) as tier,
        cast(null as varchar) as list_price,
        cast(null as varchar) as unit_cost,
        cast(null as varchar) as is_subscription,
        cast({{ crm_source_timestamp_text('last_modified_date') }} as varchar) as updated_at
    from products

)

select * from final
