-- Deal velocity: days opportunities spend in each open stage, from completed stays only (the stage was exited;
-- the current stage of a deal is still running and excluded), per period of the stay's exit and owner team,
-- with the bottleneck flag on the slowest stage (highest average) of each dimension value and period.
with transitions as (
    select * from {{ ref('fct_opportunity_stage_transitions') }}
),

opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

open_stages as (
    select * from {{ ref('int_opportunity_stages') }}
    where not is_closed_stage
),

completed_stays as (
    select
        transitions.stage_history_id,
        transitions.stage,
        open_stages.stage_order,
        cast(transitions.days_in_stage as double) as days_in_stage,
        coalesce(opportunities.owner_team, 'unknown') as owner_team,
        cast({{ dbt.date_trunc('month', 'transitions.exited_at') }} as date) as exit_month,
        cast({{ dbt.date_trunc('quarter', 'transitions.exited_at') }} as date) as exit_quarter
    from transitions
    inner join open_stages
        on transitions.stage = open_stages.stage
    left join opportunities
        on transitions.opportunity_id = opportunities.opportunity_id
    where
        not transitions.is_current
        and transitions.days_in_stage is not null
),

stay_dimensions as (
    select
        'all' as dimension_name,
        'all' as dimension_value,
        completed_stays.*
    from completed_stays
    union all
    select
        'team' as dimension_name,
        owner_team as dimension_value,
        completed_stays.*
    from completed_stays
),

stay_periods as (
    select
        'month' as period_grain,
        stay_dimensions.exit_month as period_start,
        stay_dimensions.*
    from stay_dimensions
    union all
    select
        'quarter' as period_grain,
        stay_dimensions.exit_quarter as period_start,
        stay_dimensions.*
    from stay_dimensions
    union all
    select
        'all_time' as period_grain,
        cast(null as date) as period_start,
        stay_dimensions.*
    from stay_dimensions
),

aggregated as (
    select
        dimension_name,
        dimension_value,
        period_grain,
        period_start,
        stage,
        stage_order,
        count(*) as completed_stays,
        avg(days_in_stage) as avg_days_in_stage,
        {{ percentile('days_in_stage', 0.5) }} as median_days_in_stage,
        {{ percentile('days_in_stage', 0.9) }} as p90_days_in_stage
    from stay_periods
    group by 1, 2, 3, 4, 5, 6
),

ranked as (
    select
        aggregated.*,
        rank() over (
            partition by
                aggregated.dimension_name, aggregated.dimension_value, aggregated.period_grain, aggregated.period_start
            order by aggregated.avg_days_in_stage desc
        ) as slowness_rank
    from aggregated
),

final as (
    select
        dimension_name,
        dimension_value,
        period_grain,
        period_start,
        stage,
        cast(stage_order as integer) as stage_order,
        cast(completed_stays as bigint) as completed_stays,
        cast(avg_days_in_stage as double) as avg_days_in_stage,
        cast(median_days_in_stage as double) as median_days_in_stage,
        cast(p90_days_in_stage as double) as p90_days_in_stage,
        slowness_rank = 1 as is_bottleneck
    from ranked
)

select * from final
