-- Which reps log the most activities but win the smallest share of the deals they close (trailing 12 months)?
with rep_scorecard as (
    select * from {{ ref('rep_scorecard') }}
),

win_rates as (
    select * from {{ ref('win_rates') }}
),

build_info as (
    select * from {{ ref('warehouse_build_info') }}
),

window_start as (
    select cast(date_trunc('month', as_of_date) - interval 11 month as date) as first_month
    from build_info
),

rep_activity as (
    select
        rep_scorecard.user_id,
        max(rep_scorecard.team) as team,
        cast(sum(rep_scorecard.activities) as bigint) as activities
    from rep_scorecard
    cross join window_start
    where rep_scorecard.month_start >= window_start.first_month
    group by 1
),

rep_deals as (
    select
        win_rates.dimension_value as user_id,
        cast(sum(win_rates.won_deals) as bigint) as won_deals,
        cast(sum(win_rates.lost_deals) as bigint) as lost_deals,
        cast(sum(win_rates.closed_deals) as bigint) as closed_deals
    from win_rates
    cross join window_start
    where
        win_rates.period_grain = 'month'
        and win_rates.dimension_name = 'rep'
        and win_rates.period_start >= window_start.first_month
    group by 1
),

all_deals as (
    select
        {{ win_rate_from_counts('sum(win_rates.won_deals)', 'sum(win_rates.lost_deals)') }} as overall_win_rate
    from win_rates
    cross join window_start
    where
        win_rates.period_grain = 'month'
        and win_rates.dimension_name = 'all'
        and win_rates.period_start >= window_start.first_month
),

reps as (
    select
        rep_activity.user_id,
        rep_activity.team,
        rep_activity.activities,
        coalesce(rep_deals.won_deals, 0) as won_deals,
        coalesce(rep_deals.closed_deals, 0) as closed_deals,
        {{ win_rate_from_counts('rep_deals.won_deals', 'rep_deals.lost_deals') }} as win_rate
    from rep_activity
    left join rep_deals on rep_activity.user_id = rep_deals.user_id
    where rep_activity.activities > 0 or rep_deals.closed_deals > 0
),

medians as (
    select median(activities) as median_activities
    from reps
),

final as (
    select
        reps.user_id,
        reps.team,
        reps.activities,
        medians.median_activities,
        reps.won_deals,
        reps.closed_deals,
        reps.win_rate,
        all_deals.overall_win_rate,
        coalesce(
            reps.activities > medians.median_activities
            and reps.win_rate < all_deals.overall_win_rate,
            false
        ) as is_high_activity_low_win_rate
    from reps
    cross join medians
    cross join all_deals
)

select * from final
order by 9 desc, 3 desc, 1 asc
