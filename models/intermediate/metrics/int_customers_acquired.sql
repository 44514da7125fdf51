{#- One row per customer account: when it was acquired and through which channel and campaign.
    acquired_date = the earlier of its first completed order and its first subscription start.
    acquisition_channel: dim_accounts' channel in the acquisition_costs vocabulary (macro acquisition_spend_channel). -#}
with accounts as (
    select * from {{ ref('dim_accounts') }}
),

subscriptions as (
    select * from {{ ref('fct_subscriptions') }}
),

first_subscriptions as (
    select
        account_id,
        min(started_at) as first_subscription_date
    from subscriptions
    group by 1
),

customer_starts as (
    select
        accounts.account_id,
        accounts.acquisition_channel,
        accounts.acquisition_campaign_id,
        cast(accounts.first_order_at as date) as first_order_date,
        first_subscriptions.first_subscription_date
    from accounts
    left join first_subscriptions
        on accounts.account_id = first_subscriptions.account_id
    where accounts.is_customer
),

acquisitions as (
    select
        account_id,
        case
            when first_subscription_date is null then first_order_date
            when first_order_date is null then first_subscription_date
            when first_subscription_date < first_order_date then first_subscription_date
            else first_order_date
        end as acquired_date,
        {{ acquisition_spend_channel('acquisition_channel') }} as acquisition_channel,
        acquisition_campaign_id
    from customer_starts
),

final as (
    select
        account_id,
        acquired_date,
        cast({{ dbt.date_trunc('month', 'acquired_date') }} as date) as acquired_month,
        acquisition_channel,
        acquisition_campaign_id
    from acquisitions
)

select * from final
