{#- Salesforce opportunity line items in the contract's order_items shape (every value text). Excluded: is_deleted
    rows (counted). order_id: the (first) order of the line's opportunity when one exists, else the opportunity id
    itself, which the door flags as an orphan reference. discount_rate: discount percent / 100. unit_cost: not a
    Salesforce field (null; the door quarantines the line unless a contract order_items.csv is given). -#}
with

line_items as (

    select * from {{ ref('stg_salesforce__opportunity_line_item') }}
    where not is_deleted

),

opportunity_orders as (

    select
        opportunity_id,
        min(order_id) as order_id
    from {{ ref('stg_salesforce__order') }}
    where not is_deleted and opportunity_id is not null
    group by 1

),

final as (

    select
        cast(line_items.line_item_id as varchar) as order_item_id,
        cast(coalesce(opportunity_orders.order_id, line_items.opportunity_id) as varchar) as order_id,
        cast(line_items.product_id as varchar) as product_id,
        cast(line_items.quantity as varchar) as quantity,
        cast(line_items.unit_price as varchar) as unit_price,
        cast(
            coalesce(cast(try_cast(line_items.discount as double) / 100 as varchar), line_items.discount)
            as varchar
        ) as discount_rate,
        cast(null as varchar) as unit_cost
    from line_items
    left join opportunity_orders on line_items.opportunity_id = opportunity_orders.opportunity_id

)

select * from final
