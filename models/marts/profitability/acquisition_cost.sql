-- Customer acquisition cost and retention cost per month at the total, channel and campaign levels, with the
-- CLV : CAC ratio of the customers each row acquired.
with acquisition as (
    select * from {{ ref('int_acquisition_costs_monthly') }}
),

cost_to_serve_months as (
    select * from {{ ref('int_account_months_cost_to_serve') }}
),

profitability as (
    select * from {{ ref('int_account_profitability_calculated') }}
),

campaigns as (
    select * from {{ ref('dim_campaigns') }}
),

served as (
    select
        cost_to_serve_months.month_start,
        profitability.acquisition_channel,
        cost_to_serve_months.support_cost_usd,
        cost_to_serve_months.allocated_retention_spend_usd,
        cost_to_serve_months.is_retained
    from cost_to_serve_months
    left join profitability
        on cost_to_serve_months.account_id = profitability.account_id
),

retention as (
    select
        'total' as attribution_level,
        month_start,
        'all' as channel,
        sum(support_cost_usd) as support_cost_usd,
        sum(allocated_retention_spend_usd) as other_retention_spend_usd,
        sum(case when is_retained then 1 else 0 end) as retained_customers
    from served
    group by 1, 2, 3
    union all
    select
        'channel' as attribution_level,
        month_start,
        acquisition_channel as channel,
        sum(support_cost_usd) as support_cost_usd,
        sum(allocated_retention_spend_usd) as other_retention_spend_usd,
        sum(case when is_retained then 1 else 0 end) as retained_customers
    from served
    where acquisition_channel is not null
    group by 1, 2, 3
),

acquired_value as (
    select
        'total' as attribution_level,
        acquired_month as month_start,
        'all' as channel,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        avg(predictive_clv_usd) as avg_predictive_clv_usd
    from profitability
    where acquired_month is not null
    group by 1, 2, 3, 4
    union all
    select
        'channel' as attribution_level,
        acquired_month as month_start,
        acquisition_channel as channel,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        avg(predictive_clv_usd) as avg_predictive_clv_usd
    from profitability
    where acquired_month is not null
    group by 1, 2, 3, 4
    union all
    select
        'campaign' as attribution_level,
        profitability.acquired_month as month_start,
        coalesce(campaigns.channel, profitability.acquisition_channel) as channel,
        profitability.acquisition_campaign_id as campaign_id,
        avg(profitability.predictive_clv_usd) as avg_predictive_clv_usd
    from profitability
    left join campaigns
        on profitability.acquisition_campaign_id = campaigns.campaign_id
    where profitability.acquired_month is not null and profitability.acquisition_campaign_id is not null
    group by 1, 2, 3, 4
),

keys as (
    select
        attribution_level,
        month_start,
        channel,
        campaign_id
    from acquisition
    union
    select
        attribution_level,
        month_start,
        channel,
        cast(null as {{ dbt.type_string() }}) as campaign_id
    from retention
),

final as (
    select
        keys.month_start,
        keys.attribution_level,
        keys.channel,
        keys.campaign_id,
        cast(coalesce(acquisition.ad_spend_usd, 0) as double) as ad_spend_usd,
        cast(coalesce(acquisition.sales_salaries_usd, 0) as double) as sales_salaries_usd,
        cast(coalesce(acquisition.other_acquisition_spend_usd, 0) as double) as other_acquisition_spend_usd,
        cast(coalesce(acquisition.acquisition_spend_usd, 0) as double) as acquisition_spend_usd,
        cast(coalesce(acquisition.new_customers, 0) as {{ dbt.type_int() }}) as new_customers,
        cast(acquisition.cac_usd as double) as cac_usd,
        cast(acquired_value.avg_predictive_clv_usd as double) as avg_predictive_clv_usd,
        {{ clv_to_cac('acquired_value.avg_predictive_clv_usd', 'acquisition.cac_usd') }} as clv_to_cac_ratio,
        cast(retention.support_cost_usd as double) as support_cost_usd,
        cast(retention.other_retention_spend_usd as double) as other_retention_spend_usd,
        cast(retention.support_cost_usd + retention.other_retention_spend_usd as double) as retention_spend_usd,
        cast(retention.retained_customers as {{ dbt.type_int() }}) as retained_customers,
        {{ customer_retention_cost(
            'retention.support_cost_usd + retention.other_retention_spend_usd', 'retention.retained_customers'
        ) }} as retention_cost_per_customer_usd
    from keys
    left join acquisition
        on
            keys.attribution_level = acquisition.attribution_level
            and keys.month_start = acquisition.month_start
            and keys.channel = acquisition.channel
            and keys.campaign_id is not distinct from acquisition.campaign_id
    left join acquired_value
        on
            keys.attribution_level = acquired_value.attribution_level
            and keys.month_start = acquired_value.month_start
            and keys.channel = acquired_value.channel
            and keys.campaign_id is not distinct from acquired_value.campaign_id
    left join retention
        on
            keys.attribution_level = retention.attribution_level
            and keys.month_start = retention.month_start
            and keys.channel = retention.channel
            and keys.campaign_id is null
)

select * from final
