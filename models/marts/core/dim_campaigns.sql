-- One row per valid campaign; the budget in USD at the rate of the start date (a missing currency reads as the
-- reporting currency).
with campaigns as (
    select * from {{ ref('int_campaigns_validated') }}
    where is_valid
),

campaigns_with_currency as (
    select
        campaigns.*,
        coalesce(campaigns.currency, '{{ var("reporting_currency") }}') as budget_currency
    from campaigns
),

final as (
    select
        campaigns_with_currency.campaign_id,
        campaigns_with_currency.campaign_name,
        campaigns_with_currency.channel,
        campaigns_with_currency.start_date,
        campaigns_with_currency.end_date,
        cast(round(campaigns_with_currency.budget * fx.rate_to_usd, 2) as decimal(18, 2)) as budget_usd
    from campaigns_with_currency
    {{ join_fx_rate('campaigns_with_currency.budget_currency', 'campaigns_with_currency.start_date') }}
)

select * from final
