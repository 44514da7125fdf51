-- Cross-check: every breakdown of win_rates (each dimension partitions the total) at each period grain carries
-- exactly the won deals of fct_opportunities. Returns the offending (grain, dimension) totals.
with opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

win_rates as (
    select * from {{ ref('win_rates') }}
),

won_in_facts as (
    select count(*) as won_deals
    from opportunities
    where is_won
),

won_in_mart as (
    select
        period_grain,
        dimension_name,
        sum(won_deals) as won_deals
    from win_rates
    group by 1, 2
),

final as (
    select
        won_in_mart.period_grain,
        won_in_mart.dimension_name,
        won_in_mart.won_deals as mart_won_deals,
        won_in_facts.won_deals as fact_won_deals
    from won_in_facts
    left join won_in_mart on true
    where coalesce(won_in_mart.won_deals, 0) != won_in_facts.won_deals
)

select * from final
