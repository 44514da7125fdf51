{#- Customer acquisition cost per month at three attribution levels (column attribution_level):
      total     all spend / all customers acquired in the month (channel = 'all', campaign_id null)
      channel   spend booked on the channel (with or without a campaign) / customers acquired through the channel
      campaign  spend booked on the campaign / customers whose converting lead came from the campaign
                (channel = the campaign's channel)
    Spend = valid acquisition_costs rows of the month in USD (rate of cost_month), split by category (ad_spend,
    sales_salaries, other). New customers = int_customers_acquired by acquired_month. CAC null when nobody was
    acquired (macro customer_acquisition_cost). One row per level, month and key with spend or new customers. -#}
with acquisition_costs as (
    select * from {{ ref('int_acquisition_costs_validated') }}
    where is_valid
),

campaigns as (
    select * from {{ ref('dim_campaigns') }}
),

customers_acquired as (
    select * from {{ ref('int_customers_acquired') }}
),

costs_usd as (
    select
        cast({{ dbt.date_trunc('month', 'acquisition_costs.cost_month') }} as date) as month_start,
        acquisition_costs.channel,
        acquisition_costs.campaign_id,
        acquisition_costs.category,
        cast(acquisition_costs.amount as double) * fx.rate_to_usd as amount_usd
    from acquisition_costs
    {{ join_fx_rate('acquisition_costs.currency', 'acquisition_costs.cost_month') }}
),

spend_rows as (
    select
        'total' as attribution_level,
        month_start,
        'all' as channel,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        category,
        amount_usd
    from costs_usd
    union all
    select
        'channel' as attribution_level,
        month_start,
        channel,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        category,
        amount_usd
    from costs_usd
    union all
    select
        'campaign' as attribution_level,
        costs_usd.month_start,
        coalesce(campaigns.channel, costs_usd.channel) as channel,
        costs_usd.campaign_id,
        costs_usd.category,
        costs_usd.amount_usd
    from costs_usd
    left join campaigns
        on costs_usd.campaign_id = campaigns.campaign_id
    where costs_usd.campaign_id is not null
),

acquired_rows as (
    select
        'total' as attribution_level,
        acquired_month as month_start,
        'all' as channel,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        account_id
    from customers_acquired
    union all
    select
        'channel' as attribution_level,
        acquired_month as month_start,
        acquisition_channel as channel,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        account_id
    from customers_acquired
    union all
    select
        'campaign' as attribution_level,
        customers_acquired.acquired_month as month_start,
        coalesce(campaigns.channel, customers_acquired.acquisition_channel) as channel,
        customers_acquired.acquisition_campaign_id as campaign_id,
        customers_acquired.account_id
    from customers_acquired
    left join campaigns
        on customers_acquired.acquisition_campaign_id = campaigns.campaign_id
    where customers_acquired.acquisition_campaign_id is not null
),

spend as (
    select
        attribution_level,
        month_start,
        channel,
        campaign_id,
        sum(case when category = 'ad_spend' then amount_usd else 0 end) as ad_spend_usd,
        sum(case when category = 'sales_salaries' then amount_usd else 0 end) as sales_salaries_usd,
        sum(case when category = 'other' then amount_usd else 0 end) as other_acquisition_spend_usd,
        sum(amount_usd) as acquisition_spend_usd
    from spend_rows
    group by 1, 2, 3, 4
),

acquired as (
    select
        attribution_level,
        month_start,
        channel,
        campaign_id,
        count(distinct account_id) as new_customers
    from acquired_rows
    group by 1, 2, 3, 4
),

keys as (
    select
        attribution_level,
        month_start,
        channel,
        campaign_id
    from spend
    union
    select
        attribution_level,
        month_start,
        channel,
        campaign_id
    from acquired
),

final as (
    select
        keys.attribution_level,
        keys.month_start,
        keys.channel,
        keys.campaign_id,
        coalesce(spend.ad_spend_usd, 0) as ad_spend_usd,
        coalesce(spend.sales_salaries_usd, 0) as sales_salaries_usd,
        coalesce(spend.other_acquisition_spend_usd, 0) as other_acquisition_spend_usd,
        coalesce(spend.acquisition_spend_usd, 0) as acquisition_spend_usd,
        coalesce(acquired.new_customers, 0) as new_customers,
        {{ customer_acquisition_cost(
            'coalesce(spend.acquisition_spend_usd, 0)', 'coalesce(acquired.new_customers, 0)'
        ) }} as cac_usd
    from keys
    left join spend
        on
            keys.attribution_level = spend.attribution_level
            and keys.month_start = spend.month_start
            and keys.channel = spend.channel
            and keys.campaign_id is not distinct from spend.campaign_id
    left join acquired
        on
            keys.attribution_level = acquired.attribution_level
            and keys.month_start = acquired.month_start
            and keys.channel = acquired.channel
            and keys.campaign_id is not distinct from acquired.campaign_id
)

select * from final
