-- Product pairs bought by the same customers, with support, confidence and lift (rules in int_product_pairs_scored).
with pairs as (
    select * from {{ ref('int_product_pairs_scored') }}
),

products as (
    select * from {{ ref('dim_products') }}
),

final as (
    select
        pairs.antecedent_product_id,
        antecedent.product_name as antecedent_product_name,
        antecedent.product_family as antecedent_product_family,
        pairs.consequent_product_id,
        consequent.product_name as consequent_product_name,
        consequent.product_family as consequent_product_family,
        coalesce(antecedent.product_family = consequent.product_family, false) as is_same_family,
        cast(pairs.antecedent_customers as {{ dbt.type_int() }}) as antecedent_customers,
        cast(pairs.consequent_customers as {{ dbt.type_int() }}) as consequent_customers,
        cast(pairs.customers_with_both as {{ dbt.type_int() }}) as customers_with_both,
        cast(pairs.buying_customers as {{ dbt.type_int() }}) as buying_customers,
        cast(pairs.pair_support as double) as pair_support,
        cast(pairs.confidence as double) as confidence,
        cast(pairs.lift as double) as lift
    from pairs
    left join products as antecedent
        on pairs.antecedent_product_id = antecedent.product_id
    left join products as consequent
        on pairs.consequent_product_id = consequent.product_id
)

select * from final
