{#- Association rules between products bought by the same customers (basket = everything an account bought in
    completed orders, all time). One row per ordered pair (antecedent -> consequent, the two different):
      support    = customers owning both / customers with any completed order
      confidence = customers owning both / customers owning the antecedent      (P(consequent | antecedent))
      lift       = confidence / (customers owning the consequent / all buying customers); > 1 = bought together
                   more often than chance
    Pairs with support below var affinity_min_support are dropped. -#}
with order_items as (
    select * from {{ ref('int_order_items_classified') }}
),

ownership as (
    select distinct
        account_id,
        product_id
    from order_items
),

buyer_count as (
    select count(distinct account_id) as buying_customers
    from ownership
),

product_owners as (
    select
        product_id,
        count(*) as owning_customers
    from ownership
    group by 1
),

pair_owners as (
    select
        antecedent.product_id as antecedent_product_id,
        consequent.product_id as consequent_product_id,
        count(*) as customers_with_both
    from ownership as antecedent
    inner join ownership as consequent
        on
            antecedent.account_id = consequent.account_id
            and antecedent.product_id != consequent.product_id
    group by 1, 2
),

scored as (
    select
        pair_owners.antecedent_product_id,
        pair_owners.consequent_product_id,
        antecedent_owners.owning_customers as antecedent_customers,
        consequent_owners.owning_customers as consequent_customers,
        pair_owners.customers_with_both,
        buyer_count.buying_customers,
        {{ safe_divide('pair_owners.customers_with_both', 'buyer_count.buying_customers') }} as pair_support,
        {{ safe_divide('pair_owners.customers_with_both', 'antecedent_owners.owning_customers') }} as confidence,
        {{ safe_divide(
            safe_divide('pair_owners.customers_with_both', 'antecedent_owners.owning_customers'),
            safe_divide('consequent_owners.owning_customers', 'buyer_count.buying_customers')
        ) }} as lift
    from pair_owners
    cross join buyer_count
    inner join product_owners as antecedent_owners
        on pair_owners.antecedent_product_id = antecedent_owners.product_id
    inner join product_owners as consequent_owners
        on pair_owners.consequent_product_id = consequent_owners.product_id
),

final as (
    select * from scored
    where pair_support >= {{ var('affinity_min_support') }}
)

select * from final
