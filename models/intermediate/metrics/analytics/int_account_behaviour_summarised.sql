{#- One row per customer account (dim_accounts.is_customer): the behavioural features behaviour_clusters groups
    accounts on, all up to the as-of date. lifetime_revenue_usd: completed orders' revenue; won_deals: won
    opportunities; activities, engagement_events, tickets: all-time counts of the account's rows; products: distinct
    products ordered (completed orders) or subscribed; tenure_days: from the account's first completed order or
    first subscription start, whichever is earlier, to the as-of date (0 when neither). -#}
with accounts as (
    select * from {{ ref('dim_accounts') }}
    where is_customer
),

orders as (
    select * from {{ ref('fct_orders') }}
    where status = 'completed'
),

subscriptions as (
    select * from {{ ref('fct_subscriptions') }}
),

opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

activities as (
    select * from {{ ref('fct_activities') }}
),

engagement_events as (
    select * from {{ ref('fct_engagement_events') }}
),

tickets as (
    select * from {{ ref('fct_tickets') }}
),

held_products as (
    select * from {{ ref('int_account_products_held') }}
),

order_totals as (
    select
        account_id,
        sum(revenue_usd) as lifetime_revenue_usd,
        min(order_date) as first_order_date
    from orders
    group by 1
),

subscription_starts as (
    select
        account_id,
        min(started_at) as first_subscription_date
    from subscriptions
    group by 1
),

product_counts as (
    select
        account_id,
        count(*) as products
    from held_products
    group by 1
),

won_deal_counts as (
    select
        account_id,
        count(*) as won_deals
    from opportunities
    where is_won
    group by 1
),

activity_counts as (
    select
        account_id,
        count(*) as activities
    from activities
    where account_id is not null
    group by 1
),

engagement_counts as (
    select
        account_id,
        count(*) as engagement_events
    from engagement_events
    where account_id is not null
    group by 1
),

ticket_counts as (
    select
        account_id,
        count(*) as tickets
    from tickets
    group by 1
),

final as (
    select
        accounts.account_id,
        accounts.account_name,
        accounts.tier,
        accounts.subscription_state,
        accounts.subscription_state = 'churned' as is_churned,
        cast(coalesce(order_totals.lifetime_revenue_usd, 0) as double) as lifetime_revenue_usd,
        cast(coalesce(won_deal_counts.won_deals, 0) as bigint) as won_deals,
        cast(coalesce(activity_counts.activities, 0) as bigint) as activities,
        cast(coalesce(engagement_counts.engagement_events, 0) as bigint) as engagement_events,
        cast(coalesce(ticket_counts.tickets, 0) as bigint) as tickets,
        cast(coalesce(product_counts.products, 0) as bigint) as products,
        cast(coalesce(
            {{ dbt.datediff(
                'least(coalesce(order_totals.first_order_date, subscription_starts.first_subscription_date),'
                ~ ' coalesce(subscription_starts.first_subscription_date, order_totals.first_order_date))',
                as_of_date(),
                'day'
            ) }},
            0
        ) as bigint) as tenure_days
    from accounts
    left join order_totals on accounts.account_id = order_totals.account_id
    left join subscription_starts on accounts.account_id = subscription_starts.account_id
    left join product_counts on accounts.account_id = product_counts.account_id
    left join won_deal_counts on accounts.account_id = won_deal_counts.account_id
    left join activity_counts on accounts.account_id = activity_counts.account_id
    left join engagement_counts on accounts.account_id = engagement_counts.account_id
    left join ticket_counts on accounts.account_id = ticket_counts.account_id
)

select * from final
