{#- One row per account and product it has held: ordered in a completed order or subscribed to (any status). -#}
with order_items as (
    select * from {{ ref('fct_order_items') }}
    where status = 'completed'
),

subscriptions as (
    select * from {{ ref('fct_subscriptions') }}
),

held as (
    select
        account_id,
        product_id
    from order_items
    where product_id is not null
    union
    select
        account_id,
        product_id
    from subscriptions
    where product_id is not null
)

select * from held
