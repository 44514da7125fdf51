{#- Every line of a completed order, classified for the revenue marts. Two independent classifications:
    revenue_stream partitions revenue (net_new + renewal + repeat = revenue), by the first rule that matches:
      1. net_new  the account's first completed order (account_order_number = 1), or an order closing an
                  opportunity of type 'new'
      2. renewal  an order closing a 'renewal' opportunity, or a subscription product (is_subscription) the
                  account already bought in an earlier completed order (recurring revenue)
      3. repeat   every other line of an existing customer (incl. upsell / cross-sell opportunities)
    expansion_type looks at the products an existing customer (account_order_number > 1) owned before the order
    ("owned" = bought in an earlier completed order):
      cross_sell  product family the account never bought before
      upsell      family already bought, tier_rank above the highest tier the account owned in it
      null        first orders, and same family at the same or a lower tier -#}
with order_items as (
    select * from {{ ref('fct_order_items') }}
    where status = 'completed'
),

orders as (
    select * from {{ ref('fct_orders') }}
),

opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

products as (
    select * from {{ ref('dim_products') }}
),

lines as (
    select
        order_items.order_item_id,
        order_items.order_id,
        order_items.account_id,
        order_items.product_id,
        order_items.product_family,
        order_items.tier_rank,
        order_items.order_date,
        order_items.order_month,
        orders.account_order_number,
        orders.opportunity_id,
        opportunities.opportunity_type,
        coalesce(products.is_subscription, false) as is_subscription_product,
        order_items.revenue_usd,
        order_items.cost_usd,
        order_items.margin_usd
    from order_items
    inner join orders
        on order_items.order_id = orders.order_id
    left join opportunities
        on orders.opportunity_id = opportunities.opportunity_id
    left join products
        on order_items.product_id = products.product_id
),

-- highest tier per account, family and order, then the highest tier owned before that order
family_orders as (
    select
        account_id,
        product_family,
        account_order_number,
        max(tier_rank) as order_tier_rank
    from lines
    group by 1, 2, 3
),

family_prior_ownership as (
    select
        account_id,
        product_family,
        account_order_number,
        max(order_tier_rank) over (
            partition by account_id, product_family
            order by account_order_number
            rows between unbounded preceding and 1 preceding
        ) as prior_max_tier_rank,
        min(account_order_number) over (
            partition by account_id, product_family
        ) as first_family_order_number
    from family_orders
),

product_first_orders as (
    select
        account_id,
        product_id,
        min(account_order_number) as first_product_order_number
    from lines
    group by 1, 2
),

flagged as (
    select
        lines.*,
        lines.account_order_number > product_first_orders.first_product_order_number as is_product_bought_before,
        lines.account_order_number > family_prior_ownership.first_family_order_number as is_family_bought_before,
        family_prior_ownership.prior_max_tier_rank
    from lines
    inner join product_first_orders
        on
            lines.account_id = product_first_orders.account_id
            and lines.product_id = product_first_orders.product_id
    inner join family_prior_ownership
        on
            lines.account_id = family_prior_ownership.account_id
            and lines.product_family = family_prior_ownership.product_family
            and lines.account_order_number = family_prior_ownership.account_order_number
),

final as (
    select
        order_item_id,
        order_id,
        account_id,
        product_id,
        product_family,
        tier_rank,
        order_date,
        order_month,
        account_order_number,
        opportunity_id,
        opportunity_type,
        is_subscription_product,
        is_product_bought_before,
        case
            when account_order_number = 1 or opportunity_type = 'new' then 'net_new'
            when
                opportunity_type = 'renewal' or (is_subscription_product and is_product_bought_before)
                then 'renewal'
            else 'repeat'
        end as revenue_stream,
        case
            when account_order_number = 1 then null
            when not is_family_bought_before then 'cross_sell'
            when tier_rank > prior_max_tier_rank then 'upsell'
        end as expansion_type,
        revenue_usd,
        cost_usd,
        margin_usd
    from flagged
)

select * from final
