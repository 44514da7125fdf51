-- One row per stage an opportunity entered (the extract's stage history; the opportunities snapshot for deals
-- without one, see int_opportunity_stage_history_sequenced), with how long it stayed and where it went next.
-- History rows of a quarantined opportunity keep their row with a null owner.
with stage_history as (
    select * from {{ ref('int_opportunity_stage_history_sequenced') }}
),

opportunities as (
    select * from {{ ref('int_opportunities_validated') }}
    where is_valid
),

final as (
    select
        stage_history.stage_history_id,
        stage_history.opportunity_id,
        stage_history.stage,
        stage_history.stage_order,
        stage_history.entered_at,
        stage_history.exited_at,
        stage_history.next_stage,
        {{ days_between('stage_history.entered_at', 'stage_history.exited_at') }} as days_in_stage,
        stage_history.is_current,
        opportunities.owner_user_id,
        cast(stage_history.stage_sequence as {{ dbt.type_int() }}) as stage_sequence,
        stage_history.is_reopening,
        stage_history.history_source
    from stage_history
    left join opportunities
        on stage_history.opportunity_id = opportunities.opportunity_id
)

select * from final
