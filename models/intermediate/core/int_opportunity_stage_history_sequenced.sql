-- Stage-history rows of each opportunity in the order they were entered, each with the entry that followed it.
-- Ties on entered_at are broken by funnel order, then by key, so the sequence is deterministic.
with stage_history as (
    select * from {{ ref('int_opportunity_stage_history_validated') }}
    where is_valid
),

stages as (
    select * from {{ ref('int_opportunity_stages') }}
),

ordered as (
    select
        stage_history.stage_history_id,
        stage_history.opportunity_id,
        stage_history.stage,
        stages.stage_order,
        stages.is_closed_stage,
        stage_history.amount,
        stage_history.entered_at,
        row_number() over (
            partition by stage_history.opportunity_id
            order by stage_history.entered_at, stages.stage_order, stage_history.stage_history_id
        ) as stage_sequence
    from stage_history
    left join stages
        on stage_history.stage = stages.stage
),

sequenced as (
    select
        ordered.*,
        lead(ordered.entered_at) over (
            partition by ordered.opportunity_id order by ordered.stage_sequence
        ) as exited_at,
        lead(ordered.stage) over (
            partition by ordered.opportunity_id order by ordered.stage_sequence
        ) as next_stage,
        lead(ordered.is_closed_stage) over (
            partition by ordered.opportunity_id order by ordered.stage_sequence
        ) as next_is_closed_stage
    from ordered
),

final as (
    select
        stage_history_id,
        opportunity_id,
        stage,
        stage_order,
        is_closed_stage,
        amount,
        stage_sequence,
        entered_at,
        exited_at,
        next_stage,
        exited_at is null as is_current,
        coalesce(is_closed_stage and not next_is_closed_stage, false) as is_reopening
    from sequenced
)

select * from final
