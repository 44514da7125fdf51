{#- The most common paths to a won deal: closed deals (won and lost) grouped by their collapsed path of touch
    categories (int_opportunity_journeys_summarised.touch_path), the var customer_journey_top_paths paths with the
    most won deals (then the most closed deals, then the path), with their win rate (macro win_rate: won /
    closed), median and mean sales cycle of the won deals (macros sales_cycle_percentile / sales_cycle_mean on
    fct_opportunities.cycle_days) and mean touchpoints. A path with no won deal is not a path to a won deal and is
    left out. -#}
with deal_journeys as (
    select * from {{ ref('int_opportunity_journeys_summarised') }}
),

paths as (
    select
        touch_path,
        max(path_steps) as path_steps,
        count(*) as closed_deals,
        sum(case when is_won then 1 else 0 end) as won_deals,
        sum(case when not is_won then 1 else 0 end) as lost_deals,
        {{ win_rate('is_won', 'not is_won') }} as win_rate,
        {{ sales_cycle_percentile(0.5, 'cycle_days', 'is_won') }} as median_cycle_days,
        {{ sales_cycle_mean('cycle_days', 'is_won') }} as mean_cycle_days,
        avg(cast(case when is_won then touchpoints end as double)) as mean_touchpoints_to_win
    from deal_journeys
    group by 1
),

ranked as (
    select
        *,
        row_number() over (order by won_deals desc, closed_deals desc, touch_path asc) as path_rank,
        sum(won_deals) over () as all_won_deals
    from paths
    where won_deals > 0
),

final as (
    select
        cast(path_rank as integer) as path_rank,
        touch_path,
        cast(path_steps as bigint) as path_steps,
        cast(closed_deals as bigint) as closed_deals,
        cast(won_deals as bigint) as won_deals,
        cast(lost_deals as bigint) as lost_deals,
        cast(win_rate as double) as win_rate,
        cast({{ safe_divide('won_deals', 'all_won_deals') }} as double) as share_of_won_deals,
        cast(median_cycle_days as double) as median_cycle_days,
        cast(mean_cycle_days as double) as mean_cycle_days,
        cast(mean_touchpoints_to_win as double) as mean_touchpoints_to_win
    from ranked
    where path_rank <= {{ var('customer_journey_top_paths') }}
)

select * from final
