-- Which open deals have sat longest in their current stage, against how long a completed stay there usually takes?
with opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

stage_transitions as (
    select * from {{ ref('fct_opportunity_stage_transitions') }}
),

stage_durations as (
    select * from {{ ref('stage_durations') }}
),

build_info as (
    select * from {{ ref('warehouse_build_info') }}
),

open_deals as (
    select
        opportunity_id,
        owner_user_id,
        owner_team,
        account_id,
        amount_usd
    from opportunities
    where not is_closed
),

current_stays as (
    select
        opportunity_id,
        stage,
        stage_order,
        entered_at
    from stage_transitions
    where is_current
),

typical_stays as (
    select
        stage,
        completed_stays,
        median_days_in_stage,
        p90_days_in_stage
    from stage_durations
    where dimension_name = 'all' and period_grain = 'all_time'
),

stuck as (
    select
        open_deals.opportunity_id,
        open_deals.owner_user_id,
        open_deals.owner_team,
        open_deals.account_id,
        open_deals.amount_usd,
        current_stays.stage,
        current_stays.stage_order,
        current_stays.entered_at,
        date_diff('day', cast(current_stays.entered_at as date), build_info.as_of_date) as days_in_current_stage,
        typical_stays.median_days_in_stage,
        typical_stays.p90_days_in_stage
    from open_deals
    inner join current_stays on open_deals.opportunity_id = current_stays.opportunity_id
    cross join build_info
    left join typical_stays on current_stays.stage = typical_stays.stage
),

final as (
    select
        opportunity_id,
        owner_user_id,
        owner_team,
        account_id,
        amount_usd,
        stage,
        stage_order,
        entered_at,
        days_in_current_stage,
        median_days_in_stage,
        p90_days_in_stage,
        {{ safe_divide('days_in_current_stage', 'median_days_in_stage') }} as times_median_stay,
        coalesce(days_in_current_stage > p90_days_in_stage, false) as is_beyond_p90
    from stuck
)

select * from final
order by 9 desc, 1 asc
