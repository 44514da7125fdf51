-- One row per valid subscription; MRR in USD at the rate of the start date, so a plan's USD value does not move
-- with exchange rates (MRR movements stay real expansions and contractions).
with subscriptions as (
    select * from {{ ref('int_subscriptions_validated') }}
    where is_valid
),

final as (
    select
        subscriptions.subscription_id,
        subscriptions.account_id,
        subscriptions.product_id,
        subscriptions.plan,
        cast(subscriptions.mrr as decimal(18, 2)) as mrr,
        subscriptions.currency,
        cast(round(subscriptions.mrr * fx.rate_to_usd, 2) as decimal(18, 2)) as mrr_usd,
        subscriptions.started_at,
        subscriptions.ended_at,
        subscriptions.renewal_date,
        subscriptions.status,
        {{ is_in_service('subscriptions.started_at', 'subscriptions.ended_at', as_of_date()) }} as is_active
    from subscriptions
    {{ join_fx_rate('subscriptions.currency', 'subscriptions.started_at') }}
)

select * from final
