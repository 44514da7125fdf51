-- Cross-check: each breakdown of sales_cycle (every dimension partitions the won deals) at each period grain,
-- sales_cycle_deals, and each breakdown of goal_attainment (won deals closed up to the as-of month) carry exactly
-- the won deals of fct_opportunities. Returns the offending totals.
with opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

sales_cycle as (
    select * from {{ ref('sales_cycle') }}
),

sales_cycle_deals as (
    select * from {{ ref('sales_cycle_deals') }}
),

goal_attainment as (
    select * from {{ ref('goal_attainment') }}
),

won_in_facts as (
    select
        count(*) as won_deals,
        sum(
            case
                when close_date < cast({{ dbt.dateadd('month', 1, dbt.date_trunc('month', as_of_date())) }} as date)
                    then 1
                else 0
            end
        ) as won_deals_to_as_of_month
    from opportunities
    where is_won
),

mart_totals as (
    select
        'sales_cycle' as mart,
        period_grain,
        dimension_name,
        sum(won_deals) as won_deals,
        false as is_to_as_of_month
    from sales_cycle
    group by 1, 2, 3
    union all
    select
        'sales_cycle_deals' as mart,
        cast(null as {{ dbt.type_string() }}) as period_grain,
        cast(null as {{ dbt.type_string() }}) as dimension_name,
        count(*) as won_deals,
        false as is_to_as_of_month
    from sales_cycle_deals
    union all
    select
        'goal_attainment' as mart,
        cast(null as {{ dbt.type_string() }}) as period_grain,
        dimension_name,
        sum(won_deals) as won_deals,
        true as is_to_as_of_month
    from goal_attainment
    group by 1, 2, 3
),

final as (
    select
        mart_totals.mart,
        mart_totals.period_grain,
        mart_totals.dimension_name,
        mart_totals.won_deals as mart_won_deals,
        case
            when mart_totals.is_to_as_of_month then won_in_facts.won_deals_to_as_of_month
            else won_in_facts.won_deals
        end as fact_won_deals
    from mart_totals
    cross join won_in_facts
    where
        mart_totals.won_deals != case
            when mart_totals.is_to_as_of_month then won_in_facts.won_deals_to_as_of_month
            else won_in_facts.won_deals
        end
)

select * from final
