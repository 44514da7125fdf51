-- Open pipeline per month-end snapshot (int_opportunities_snapshotted_monthly) in long form: dimension rep,
-- team or all. Value, weighted value, velocity and coverage of next month's quota.
-- Incomplete deals: every deal open at the snapshot counts in open_opportunities (and in velocity), with or
-- without amount or expected close date; pipeline and weighted value skip deals without amount
-- (open_opportunities_missing_amount says how many), open_opportunities_without_close_date counts those with no
-- expected close date. The trailing average deal size skips won deals without amount
-- (trailing_won_deals_missing_amount).
-- Velocity inputs come from the deals CLOSED in the trailing var pipeline_velocity_lookback_months months up to
-- the snapshot day, of the same rep / team / all: win_rate(), average_deal_size(), sales_cycle_mean().
-- No data is null, never 0: pipeline values are 0 for a snapshot without open deals only when the extract has
-- deals, and null when its open deals carry no amount.
with snapshots as (
    select * from {{ ref('int_opportunities_snapshotted_monthly') }}
),

month_ends as (
    select * from {{ ref('int_month_end_snapshot_dates') }}
),

opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

quota_dimensions as (
    select * from {{ ref('int_quotas_by_dimension') }}
),

snapshot_dimensions as (
    select
        'all' as dimension_name,
        'all' as dimension_value,
        snapshots.*
    from snapshots
    union all
    select
        'team' as dimension_name,
        coalesce(owner_team, 'unknown') as dimension_value,
        snapshots.*
    from snapshots
    union all
    select
        'rep' as dimension_name,
        coalesce(owner_user_id, 'unknown') as dimension_value,
        snapshots.*
    from snapshots
),

open_pipeline as (
    select
        month_start,
        dimension_name,
        dimension_value,
        count(*) as open_opportunities,
        sum(amount_usd) as pipeline_value_usd,
        sum(amount_usd * stage_win_probability) as weighted_pipeline_usd,
        {{ missing_amount_count() }} as open_opportunities_missing_amount,
        count(case when expected_close_date is null then 1 end) as open_opportunities_without_close_date
    from snapshot_dimensions
    group by 1, 2, 3
),

closed_deals as (
    select
        opportunity_id,
        owner_user_id,
        owner_team,
        close_date,
        amount_usd,
        is_won,
        is_lost,
        cycle_days
    from opportunities
    where is_closed
),

closed_deal_dimensions as (
    select
        'all' as dimension_name,
        'all' as dimension_value,
        closed_deals.*
    from closed_deals
    union all
    select
        'team' as dimension_name,
        coalesce(owner_team, 'unknown') as dimension_value,
        closed_deals.*
    from closed_deals
    union all
    select
        'rep' as dimension_name,
        coalesce(owner_user_id, 'unknown') as dimension_value,
        closed_deals.*
    from closed_deals
),

trailing_closed as (
    select
        month_ends.month_start,
        closed_deal_dimensions.dimension_name,
        closed_deal_dimensions.dimension_value,
        count(*) as trailing_closed_deals,
        {{ win_rate() }} as trailing_win_rate,
        {{ average_deal_size() }} as trailing_average_deal_size_usd,
        {{ missing_amount_count('amount_usd', 'is_won') }} as trailing_won_deals_missing_amount,
        {{ sales_cycle_mean() }} as trailing_average_cycle_days
    from month_ends
    inner join closed_deal_dimensions
        on
            month_ends.snapshot_date >= closed_deal_dimensions.close_date
            and closed_deal_dimensions.close_date > cast(
                {{ dbt.dateadd('month', -var('pipeline_velocity_lookback_months'), 'month_ends.snapshot_date') }}
                as date
            )
    group by 1, 2, 3
),

next_month_quota as (
    select
        month_ends.month_start,
        quota_dimensions.dimension_name,
        quota_dimensions.dimension_value,
        sum(quota_dimensions.quota_usd) as next_month_quota_usd
    from month_ends
    inner join quota_dimensions
        on quota_dimensions.month_start = cast({{ dbt.dateadd('month', 1, 'month_ends.month_start') }} as date)
    group by 1, 2, 3
),

deal_presence as (
    select count(*) > 0 as has_deals
    from opportunities
),

row_keys as (
    select
        month_start,
        'all' as dimension_name,
        'all' as dimension_value
    from month_ends
    union
    select
        month_start,
        dimension_name,
        dimension_value
    from open_pipeline
    union
    select
        month_start,
        dimension_name,
        dimension_value
    from trailing_closed
    union
    select
        month_start,
        dimension_name,
        dimension_value
    from next_month_quota
),

joined as (
    select
        row_keys.month_start,
        month_ends.snapshot_date,
        row_keys.dimension_name,
        row_keys.dimension_value,
        coalesce(open_pipeline.open_opportunities, 0) as open_opportunities,
        {{ amount_or_no_data(
            'open_pipeline.pipeline_value_usd', 'open_pipeline.open_opportunities',
            'open_pipeline.pipeline_value_usd', 'deal_presence.has_deals'
        ) }} as pipeline_value_usd,
        {{ amount_or_no_data(
            'open_pipeline.weighted_pipeline_usd', 'open_pipeline.open_opportunities',
            'open_pipeline.pipeline_value_usd', 'deal_presence.has_deals'
        ) }} as weighted_pipeline_usd,
        coalesce(open_pipeline.open_opportunities_missing_amount, 0) as open_opportunities_missing_amount,
        coalesce(open_pipeline.open_opportunities_without_close_date, 0) as open_opportunities_without_close_date,
        coalesce(trailing_closed.trailing_closed_deals, 0) as trailing_closed_deals,
        coalesce(trailing_closed.trailing_won_deals_missing_amount, 0) as trailing_won_deals_missing_amount,
        trailing_closed.trailing_win_rate,
        trailing_closed.trailing_average_deal_size_usd,
        trailing_closed.trailing_average_cycle_days,
        next_month_quota.next_month_quota_usd
    from row_keys
    inner join month_ends
        on row_keys.month_start = month_ends.month_start
    cross join deal_presence
    left join open_pipeline
        on
            row_keys.month_start = open_pipeline.month_start
            and row_keys.dimension_name = open_pipeline.dimension_name
            and row_keys.dimension_value = open_pipeline.dimension_value
    left join trailing_closed
        on
            row_keys.month_start = trailing_closed.month_start
            and row_keys.dimension_name = trailing_closed.dimension_name
            and row_keys.dimension_value = trailing_closed.dimension_value
    left join next_month_quota
        on
            row_keys.month_start = next_month_quota.month_start
            and row_keys.dimension_name = next_month_quota.dimension_name
            and row_keys.dimension_value = next_month_quota.dimension_value
),

final as (
    select
        month_start,
        snapshot_date,
        dimension_name,
        dimension_value,
        cast(open_opportunities as bigint) as open_opportunities,
        cast(pipeline_value_usd as double) as pipeline_value_usd,
        cast(weighted_pipeline_usd as double) as weighted_pipeline_usd,
        cast(open_opportunities_missing_amount as bigint) as open_opportunities_missing_amount,
        cast(open_opportunities_without_close_date as bigint) as open_opportunities_without_close_date,
        cast(trailing_closed_deals as bigint) as trailing_closed_deals,
        cast(trailing_won_deals_missing_amount as bigint) as trailing_won_deals_missing_amount,
        cast(trailing_win_rate as double) as trailing_win_rate,
        cast(trailing_average_deal_size_usd as double) as trailing_average_deal_size_usd,
        cast(trailing_average_cycle_days as double) as trailing_average_cycle_days,
        cast({{ pipeline_velocity(
            'open_opportunities', 'trailing_win_rate', 'trailing_average_deal_size_usd', 'trailing_average_cycle_days'
        ) }} as double) as pipeline_velocity_usd_per_day,
        cast(next_month_quota_usd as double) as next_month_quota_usd,
        {{ safe_divide('pipeline_value_usd', 'next_month_quota_usd') }} as pipeline_coverage_ratio,
        {{ safe_divide('weighted_pipeline_usd', 'next_month_quota_usd') }} as weighted_coverage_ratio
    from joined
)

select * from final
