{#- Win rate and average deal size per close period (month and quarter) and breakdown dimension, in long form.
    One row per opportunity in fct_opportunities carries its final state, so a reopened deal counts once.
    No period starts after the as-of date: an open deal expected to close in a later month is in no month row
    (it still counts in its quarter's row when that quarter has started).
    Incomplete deals: a deal without amount counts in every deal count and in the win rate; won_amount_usd and
    average_deal_size_usd skip it and won_deals_missing_amount says how many won deals they skipped. A deal without
    account is in segment 'unknown'. An open deal without expected close date has no close period and is in no row
    here (pipeline counts it, by snapshot month); closed deals always have a close date. -#}
{%- set dimensions = {
    'all': "'all'",
    'rep': "coalesce(owner_user_id, 'unknown')",
    'team': "coalesce(owner_team, 'unknown')",
    'source': "coalesce(lead_source, 'unknown')",
    'segment': "coalesce(account_tier, 'unknown')",
    'product_family': "coalesce(product_family, 'unknown')",
} -%}

with opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

opportunity_periods as (
    {%- for grain in ['month', 'quarter'] %}
        select
            opportunity_id,
            is_won,
            is_lost,
            amount_usd,
            owner_user_id,
            owner_team,
            lead_source,
            account_tier,
            product_family,
            '{{ grain }}' as period_grain,
            cast({{ dbt.date_trunc(grain, 'close_date') }} as date) as period_start
        from opportunities
        where close_date is not null
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

opportunities_by_dimension as (
    {%- for dimension_name, dimension_expression in dimensions.items() %}
        select
            period_grain,
            period_start,
            '{{ dimension_name }}' as dimension_name,
            cast({{ dimension_expression }} as {{ dbt.type_string() }}) as dimension_value,
            opportunity_id,
            is_won,
            is_lost,
            amount_usd
        from opportunity_periods
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

final as (
    select
        period_grain,
        period_start,
        dimension_name,
        dimension_value,
        count(*) as opportunities,
        count(case when is_won or is_lost then 1 end) as closed_deals,
        count(case when is_won then 1 end) as won_deals,
        count(case when is_lost then 1 end) as lost_deals,
        count(case when not (is_won or is_lost) then 1 end) as open_deals,
        {{ win_rate('is_won', 'is_lost') }} as win_rate,
        -- 0 when no won deal has an amount (won_deals_missing_amount counts the skipped ones)
        cast(coalesce(sum(case when is_won then amount_usd end), 0) as decimal(18, 2)) as won_amount_usd,
        cast({{ average_deal_size('amount_usd', 'is_won') }} as double) as average_deal_size_usd,
        {{ missing_amount_count('amount_usd', 'is_won') }} as won_deals_missing_amount
    from opportunities_by_dimension
    group by 1, 2, 3, 4
    having period_start is null or period_start <= {{ as_of_date() }}
)

select * from final
