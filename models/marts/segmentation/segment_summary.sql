-- Customers, revenue, margin, churned share, average CLV and Pareto share per segment, in long form: one row per
-- (dimension_name, dimension_value); dimension_name 'all' holds the whole customer base.
{%- set dimensions = [
    'rfm_segment', 'industry', 'size_band', 'region', 'account_tier', 'value_decile',
    'repeat_purchase_likelihood', 'is_multi_family_buyer', 'is_subscription_holder', 'is_engaged_recently'
] %}

with segments as (
    select * from {{ ref('int_account_segments_assigned') }}
),

long_form as (
    select
        'all' as dimension_name,
        'all' as dimension_value,
        account_id,
        monetary_usd,
        customer_margin_usd,
        historical_clv_usd,
        predictive_clv_usd,
        is_churned
    from segments
    {%- for dimension in dimensions %}
        union all
        select
            '{{ dimension }}' as dimension_name,
            -- a customer whose value is unknown (value_decile without order amounts) is counted under 'unknown'
            coalesce(cast({{ dimension }} as {{ dbt.type_string() }}), 'unknown') as dimension_value,
            account_id,
            monetary_usd,
            customer_margin_usd,
            historical_clv_usd,
            predictive_clv_usd,
            is_churned
        from segments
    {%- endfor %}
),

ranked as (
    select
        long_form.*,
        row_number() over (
            partition by long_form.dimension_name, long_form.dimension_value
            order by long_form.monetary_usd desc, long_form.account_id asc
        ) as revenue_rank,
        count(*) over (partition by long_form.dimension_name, long_form.dimension_value) as segment_customers
    from long_form
),

final as (
    select
        dimension_name,
        dimension_value,
        cast(count(*) as {{ dbt.type_int() }}) as customers,
        cast(sum(monetary_usd) as decimal(18, 2)) as revenue_usd,
        cast(sum(customer_margin_usd) as double) as customer_margin_usd,
        {{ safe_divide('sum(case when is_churned then 1 else 0 end)', 'count(*)') }} as churned_share,
        cast(avg(historical_clv_usd) as double) as avg_historical_clv_usd,
        cast(avg(predictive_clv_usd) as double) as avg_predictive_clv_usd,
        {{ pareto_share('monetary_usd', 'revenue_rank', 'segment_customers') }} as pareto_revenue_share
    from ranked
    group by 1, 2
)

select * from final
