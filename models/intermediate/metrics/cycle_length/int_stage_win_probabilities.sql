-- Historical win probability of an open deal, by the stage it is in and by stage and age band.
-- Evidence: every closed opportunity (final state: won or lost) and the open-stage stays of its stage history.
-- A closed deal counts for stage s when it ever entered s; for an age band when its stay in s overlapped that
-- band of deal age (days since the deal was created): P(win | seen in stage s at that age).
-- Age bands split age by the usual cycle = median sales cycle days of won deals (var stale_deal_cycle_multiple):
--   on_track [0, usual), late [usual, usual x multiple), stale [usual x multiple, open end);
--   'any' is the stage-level probability (no age condition).
-- Win probability = win_rate_from_counts(won, lost): null when no closed deal supports the row (consumers then
-- fall back: stage and age -> stage -> the rep-entered probability). Window: all history as of the build.
with opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

transitions as (
    select * from {{ ref('fct_opportunity_stage_transitions') }}
),

open_stages as (
    select * from {{ ref('int_opportunity_stages') }}
    where not is_closed_stage
),

usual_cycle as (
    select {{ sales_cycle_percentile(0.5) }} as usual_cycle_days
    from opportunities
),

age_bands as (
    select
        'any' as age_band,
        0 as age_band_rank,
        cast(null as double) as min_age_days,
        cast(null as double) as max_age_days,
        usual_cycle_days
    from usual_cycle
    union all
    select
        'on_track' as age_band,
        1 as age_band_rank,
        case when usual_cycle_days is not null then cast(0 as double) end as min_age_days,
        usual_cycle_days as max_age_days,
        usual_cycle_days
    from usual_cycle
    union all
    select
        'late' as age_band,
        2 as age_band_rank,
        usual_cycle_days as min_age_days,
        usual_cycle_days * {{ var('stale_deal_cycle_multiple') }} as max_age_days,
        usual_cycle_days
    from usual_cycle
    union all
    select
        'stale' as age_band,
        3 as age_band_rank,
        usual_cycle_days * {{ var('stale_deal_cycle_multiple') }} as min_age_days,
        cast(null as double) as max_age_days,
        usual_cycle_days
    from usual_cycle
),

closed_deal_stays as (
    select
        transitions.opportunity_id,
        transitions.stage,
        opportunities.is_won,
        opportunities.is_lost,
        {{ dbt.datediff('opportunities.created_date', 'cast(transitions.entered_at as date)', 'day') }}
            as age_at_entry_days,
        {{ dbt.datediff(
            'opportunities.created_date',
            'coalesce(cast(transitions.exited_at as date), opportunities.close_date)',
            'day'
        ) }} as age_at_exit_days
    from transitions
    inner join opportunities
        on transitions.opportunity_id = opportunities.opportunity_id
    where opportunities.is_closed
),

outcomes as (
    select
        open_stages.stage,
        open_stages.stage_order,
        age_bands.age_band,
        age_bands.age_band_rank,
        age_bands.min_age_days,
        age_bands.max_age_days,
        age_bands.usual_cycle_days,
        count(distinct case when closed_deal_stays.is_won then closed_deal_stays.opportunity_id end)
            as won_deals,
        count(distinct case when closed_deal_stays.is_lost then closed_deal_stays.opportunity_id end)
            as lost_deals
    from open_stages
    cross join age_bands
    left join closed_deal_stays
        on
            open_stages.stage = closed_deal_stays.stage
            and (
                age_bands.age_band = 'any'
                or (
                    age_bands.min_age_days <= closed_deal_stays.age_at_exit_days
                    and (
                        age_bands.max_age_days is null
                        or age_bands.max_age_days > closed_deal_stays.age_at_entry_days
                    )
                )
            )
    group by 1, 2, 3, 4, 5, 6, 7
),

final as (
    select
        stage,
        cast(stage_order as integer) as stage_order,
        age_band,
        cast(age_band_rank as integer) as age_band_rank,
        cast(min_age_days as double) as min_age_days,
        cast(max_age_days as double) as max_age_days,
        cast(usual_cycle_days as double) as usual_cycle_days,
        cast(won_deals as bigint) as won_deals,
        cast(lost_deals as bigint) as lost_deals,
        cast(won_deals + lost_deals as bigint) as closed_deals,
        {{ win_rate_from_counts('won_deals', 'lost_deals') }} as win_probability
    from outcomes
)

select * from final
