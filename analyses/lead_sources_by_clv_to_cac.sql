-- Which acquisition channels (lead sources) bring customers worth the most per dollar of acquisition spend?
-- All-time pooling of acquisition_cost's channel rows: documented in analyses/_analyses.yml.
with acquisition_cost as (
    select * from {{ ref('acquisition_cost') }}
),

channel_months as (
    select
        channel,
        month_start,
        acquisition_spend_usd,
        new_customers,
        avg_predictive_clv_usd
    from acquisition_cost
    where attribution_level = 'channel'
),

channel_totals as (
    select
        channel,
        count(distinct month_start) as months,
        sum(acquisition_spend_usd) as acquisition_spend_usd,
        sum(new_customers) as new_customers,
        sum(new_customers) filter (where avg_predictive_clv_usd is not null) as customers_with_clv,
        sum(avg_predictive_clv_usd * new_customers) as predictive_clv_sum_usd
    from channel_months
    group by 1
),

ratios as (
    select
        channel,
        months,
        acquisition_spend_usd,
        new_customers,
        {{ safe_divide('predictive_clv_sum_usd', 'customers_with_clv') }} as avg_predictive_clv_usd,
        {{ customer_acquisition_cost('acquisition_spend_usd', 'new_customers') }} as cac_usd
    from channel_totals
),

final as (
    select
        channel,
        months,
        acquisition_spend_usd,
        new_customers,
        cac_usd,
        avg_predictive_clv_usd,
        {{ clv_to_cac('avg_predictive_clv_usd', 'cac_usd') }} as clv_to_cac_ratio
    from ratios
)

select * from final
order by 7 desc nulls last, 1 asc
