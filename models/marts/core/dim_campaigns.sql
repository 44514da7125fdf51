-- One row per valid campaign; the budget in USD at the rate of the start date (a missing currency reads as the
-- reporting currency). Plus one inferred member per campaign key that kept rows reference but no valid campaign
-- has (macro inferred_member_keys): name and channel 'unknown', dates and budget null.
with campaigns as (
    select * from {{ ref('int_campaigns_validated') }}
    where is_valid
),

inferred_campaign_keys as (
    {{ inferred_member_keys('campaigns', 'campaign_id') }}
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
        cast(round(campaigns_with_currency.budget * fx.rate_to_usd, 2) as decimal(18, 2)) as budget_usd,
        false as is_inferred_member
    from campaigns_with_currency
    {{ join_fx_rate('campaigns_with_currency.budget_currency', 'campaigns_with_currency.start_date') }}
    union all
    select
        campaign_id,
        'unknown' as campaign_name,
        'unknown' as channel,
        cast(null as date) as start_date,
        cast(null as date) as end_date,
        cast(null as decimal(18, 2)) as budget_usd,
        true as is_inferred_member
    from inferred_campaign_keys
)

select * from final
