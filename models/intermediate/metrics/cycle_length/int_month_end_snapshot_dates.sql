-- One row per calendar month of the date spine up to the as-of month, with the day the month's pipeline
-- snapshot is taken: the month's last day, or the as-of date for the current (unfinished) month.
with calendar as (
    select * from {{ ref('dim_date') }}
),

months as (
    select distinct month_start
    from calendar
    where month_start <= {{ as_of_date() }}
),

final as (
    select
        month_start,
        least(
            cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, 'month_start')) }} as date),
            {{ as_of_date() }}
        ) as snapshot_date
    from months
)

select * from final
