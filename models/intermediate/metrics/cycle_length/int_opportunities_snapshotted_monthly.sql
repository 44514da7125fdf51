-- The open pipeline as of each month end (as of the as-of date for the current month): one row per
-- opportunity open at the snapshot, with the stage it was in then, its age and its win probabilities.
-- Open at snapshot day S: created_date <= S and (still open now, or close_date > S). Approximation: extracts
-- carry only the current amount and close date, so a deal's amount and expected close date at S are today's
-- values, and a deal reopened after closing counts as open over its whole life.
-- Stage at S: the open stage most recently entered on or before S in the stage history; else the first open
-- stage the history records; else the current stage (stage_source says which).
-- Probabilities (int_stage_win_probabilities; fallback when history has no closed deal for the row):
--   stage_win_probability        = historical win rate of the stage, else the rep-entered probability
--   age_adjusted_win_probability = historical win rate of the stage and age band, else of the stage, else the
--                                  rep-entered probability
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

probabilities as (
    select * from {{ ref('int_stage_win_probabilities') }}
),

month_ends as (
    select * from {{ ref('int_month_end_snapshot_dates') }}
),

open_at_snapshot as (
    select
        month_ends.month_start,
        month_ends.snapshot_date,
        opportunities.opportunity_id,
        opportunities.owner_user_id,
        opportunities.owner_team,
        opportunities.amount_usd,
        opportunities.probability as rep_probability,
        opportunities.stage as current_stage,
        opportunities.stage_order as current_stage_order,
        opportunities.created_date,
        opportunities.close_date,
        {{ dbt.datediff(
            'opportunities.created_date',
            'month_ends.snapshot_date',
            'day'
        ) }} as age_days
    from month_ends
    inner join opportunities
        on
            month_ends.snapshot_date >= opportunities.created_date
            and (not opportunities.is_closed or month_ends.snapshot_date < opportunities.close_date)
),

open_stage_entries as (
    select
        transitions.opportunity_id,
        transitions.stage,
        open_stages.stage_order,
        transitions.entered_at
    from transitions
    inner join open_stages
        on transitions.stage = open_stages.stage
),

latest_stage_entry as (
    select
        open_at_snapshot.month_start,
        open_at_snapshot.opportunity_id,
        open_stage_entries.stage,
        open_stage_entries.stage_order,
        row_number() over (
            partition by open_at_snapshot.month_start, open_at_snapshot.opportunity_id
            order by open_stage_entries.entered_at desc, open_stage_entries.stage_order desc
        ) as recency_rank
    from open_at_snapshot
    inner join open_stage_entries
        on
            open_at_snapshot.opportunity_id = open_stage_entries.opportunity_id
            and cast(open_stage_entries.entered_at as date) <= open_at_snapshot.snapshot_date
),

first_recorded_stage as (
    select
        opportunity_id,
        stage,
        stage_order,
        row_number() over (
            partition by opportunity_id
            order by entered_at, stage_order
        ) as entry_rank
    from open_stage_entries
),

staged as (
    select
        open_at_snapshot.*,
        coalesce(
            latest_stage_entry.stage, first_recorded_stage.stage, open_at_snapshot.current_stage
        ) as stage_at_snapshot,
        coalesce(
            latest_stage_entry.stage_order, first_recorded_stage.stage_order, open_at_snapshot.current_stage_order
        ) as stage_order_at_snapshot,
        case
            when latest_stage_entry.stage is not null then 'history'
            when first_recorded_stage.stage is not null then 'first_recorded'
            else 'current'
        end as stage_source
    from open_at_snapshot
    left join latest_stage_entry
        on
            open_at_snapshot.month_start = latest_stage_entry.month_start
            and open_at_snapshot.opportunity_id = latest_stage_entry.opportunity_id
            and latest_stage_entry.recency_rank = 1
    left join first_recorded_stage
        on
            open_at_snapshot.opportunity_id = first_recorded_stage.opportunity_id
            and first_recorded_stage.entry_rank = 1
),

with_probabilities as (
    select
        staged.*,
        age_band_probability.age_band,
        stage_probability.win_probability as stage_history_probability,
        age_band_probability.win_probability as age_band_history_probability
    from staged
    left join probabilities as stage_probability
        on
            staged.stage_at_snapshot = stage_probability.stage
            and stage_probability.age_band = 'any'
    left join probabilities as age_band_probability
        on
            staged.stage_at_snapshot = age_band_probability.stage
            and age_band_probability.age_band != 'any'
            and staged.age_days >= age_band_probability.min_age_days
            and (age_band_probability.max_age_days is null or staged.age_days < age_band_probability.max_age_days)
),

final as (
    select
        month_start,
        snapshot_date,
        opportunity_id,
        owner_user_id,
        owner_team,
        cast(amount_usd as double) as amount_usd,
        created_date,
        close_date as expected_close_date,
        close_date <= snapshot_date as is_overdue,
        cast(age_days as integer) as age_days,
        stage_at_snapshot,
        cast(stage_order_at_snapshot as integer) as stage_order_at_snapshot,
        stage_source,
        age_band,
        cast(rep_probability as double) as rep_probability,
        cast(coalesce(stage_history_probability, rep_probability) as double) as stage_win_probability,
        case
            when stage_history_probability is not null then 'stage_history'
            when rep_probability is not null then 'rep_entered'
        end as stage_probability_source,
        cast(
            coalesce(age_band_history_probability, stage_history_probability, rep_probability) as double
        ) as age_adjusted_win_probability,
        case
            when age_band_history_probability is not null then 'stage_and_age_history'
            when stage_history_probability is not null then 'stage_history'
            when rep_probability is not null then 'rep_entered'
        end as age_adjusted_probability_source
    from with_probabilities
)

select * from final
