-- One row per valid product; prices in the catalogue are USD already. Plus one inferred member per product key
-- that kept rows reference but no valid product has (macro inferred_member_keys; e.g. a deal's 'GTXPRO' when the
-- catalogue has 'GTX PRO'): name, family and tier 'unknown', tier rank and prices null.
with products as (
    select * from {{ ref('int_products_validated') }}
    where is_valid
),

inferred_product_keys as (
    {{ inferred_member_keys('products', 'product_id') }}
),

final as (
    select
        product_id,
        product_name,
        -- no family or tier in the extract (kept, flagged missing_required): 'unknown', as for inferred members
        coalesce(product_family, 'unknown') as product_family,
        coalesce(tier, 'unknown') as tier,
        cast(
            case tier
                when 'basic' then 1
                when 'pro' then 2
                when 'enterprise' then 3
            end as {{ dbt.type_int() }}
        ) as tier_rank,
        cast(list_price as decimal(18, 2)) as list_price_usd,
        cast(unit_cost as decimal(18, 2)) as unit_cost_usd,
        is_subscription,
        false as is_inferred_member
    from products
    union all
    select
        product_id,
        'unknown' as product_name,
        'unknown' as product_family,
        'unknown' as tier,
        cast(null as {{ dbt.type_int() }}) as tier_rank,
        cast(null as decimal(18, 2)) as list_price_usd,
        cast(null as decimal(18, 2)) as unit_cost_usd,
        cast(null as boolean) as is_subscription,
        true as is_inferred_member
    from inferred_product_keys
)

select * from final
