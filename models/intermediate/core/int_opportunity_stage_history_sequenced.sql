-- Stage entries of each opportunity in the order they were entered, each with the entry that followed it.
-- Source: the extract's opportunity_entries. An opportunity without any valid history row (an extract that
-- carries only current state) falls back to the opportunities snapshot: one entry per version whose stage differs
-- from the previous version's, entered at that version's updated_at. Ties on entered_at are broken by funnel
-- order, then by key, so the sequence is deterministic.
with stage_history as (
    select * from {{ ref('int_opportunity_stage_history_validated') }}
    where is_valid
),

opportunity_versions as (
    select * from {{ ref('opportunities_snapshot') }}
),

extracted_opportunities as (
    -- Every opportunity of the current extract, valid or quarantined (the snapshot also keeps deleted ones).
    select * from {{ ref('int_opportunities_validated') }}
),

stages as (
    select * from {{ ref('int_opportunity_stages') }}
),

extract_entries as (
    select
        stage_history_id,
        opportunity_id,
        stage,
        amount,
        entered_at,
        'stage_history' as history_source
    from stage_history
),

versions_without_history as (
    select
        opportunity_versions.opportunity_id,
        opportunity_versions.stage,
        opportunity_versions.amount,
        opportunity_versions.updated_at,
        opportunity_versions.dbt_valid_from,
        lag(opportunity_versions.stage) over (
            partition by opportunity_versions.opportunity_id order by opportunity_versions.dbt_valid_from
        ) as previous_stage
    from opportunity_versions
    where
        not exists (
            select 1 from extract_entries
            where extract_entries.opportunity_id = opportunity_versions.opportunity_id
        )
        and exists (
            select 1 from extracted_opportunities
            where extracted_opportunities.opportunity_id = opportunity_versions.opportunity_id
        )
),

snapshot_entries as (
    select
        {{ dbt.concat([
            'opportunity_id',
            "'-SNAPSHOT-'",
            dbt.cast('row_number() over (partition by opportunity_id order by dbt_valid_from)', dbt.type_string())
        ]) }} as stage_history_id,
        opportunity_id,
        stage,
        amount,
        updated_at as entered_at,
        'snapshot' as history_source
    from versions_without_history
    where previous_stage is null or previous_stage <> stage
),

entries as (
    select * from extract_entries
    union all
    select * from snapshot_entries
),

ordered as (
    select
        entries.stage_history_id,
        entries.opportunity_id,
        entries.stage,
        stages.stage_order,
        stages.is_closed_stage,
        entries.amount,
        entries.entered_at,
        entries.history_source,
        row_number() over (
            partition by entries.opportunity_id
            order by entries.entered_at, stages.stage_order, entries.stage_history_id
        ) as stage_sequence
    from entries
    left join stages
        on entries.stage = stages.stage
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
        history_source,
        entered_at,
        exited_at,
        next_stage,
        exited_at is null as is_current,
        coalesce(is_closed_stage and not next_is_closed_stage, false) as is_reopening
    from sequenced
)

select * from final
