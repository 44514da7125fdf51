-- Cross-check: at every snapshot the team rows and the rep rows of pipeline each add up to the 'all' row (open
-- deals and pipeline value), and the 'all' row equals the snapshot model. Returns the snapshots that disagree.
with pipeline as (
    select * from {{ ref('pipeline') }}
),

snapshots as (
    select * from {{ ref('int_opportunities_snapshotted_monthly') }}
),

by_dimension as (
    select
        month_start,
        dimension_name,
        sum(open_opportunities) as open_opportunities,
        sum(pipeline_value_usd) as pipeline_value_usd
    from pipeline
    group by 1, 2
),

snapshot_totals as (
    select
        month_start,
        count(*) as open_opportunities,
        coalesce(sum(amount_usd), 0) as pipeline_value_usd
    from snapshots
    group by 1
),

final as (
    select
        by_dimension.month_start,
        by_dimension.dimension_name,
        by_dimension.open_opportunities,
        by_dimension.pipeline_value_usd,
        coalesce(snapshot_totals.open_opportunities, 0) as snapshot_open_opportunities,
        coalesce(snapshot_totals.pipeline_value_usd, 0) as snapshot_pipeline_value_usd
    from by_dimension
    left join snapshot_totals
        on by_dimension.month_start = snapshot_totals.month_start
    where
        by_dimension.open_opportunities != coalesce(snapshot_totals.open_opportunities, 0)
        or abs(by_dimension.pipeline_value_usd - coalesce(snapshot_totals.pipeline_value_usd, 0)) > 0.01
)

select * from final
