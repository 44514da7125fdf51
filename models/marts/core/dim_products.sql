-- One row per valid product; prices in the catalogue are USD already.
with products as (
    select * from {{ ref('int_products_validated') }}
    where is_valid
),

final as (
    select
        product_id,
        product_name,
        product_family,
        tier,
        cast(
            case tier
                when 'basic' then 1
                when 'pro' then 2
                when 'enterprise' then 3
            end as {{ dbt.type_int() }}
        ) as tier_rank,
        cast(list_price as decimal(18, 2)) as list_price_usd,
        cast(unit_cost as decimal(18, 2)) as unit_cost_usd,
        is_subscription
    from products
)

select * from final
