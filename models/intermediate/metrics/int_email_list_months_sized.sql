{#- The email list per month: subscribes and unsubscribes (fct_engagement_events list_subscribe /
    list_unsubscribe) and the list size at the start of the month = net subscriptions of all earlier months
    (the extract's history starts from an empty list). One row per month from the first to the last month with
    a list event, so the size carries through months without one. -#}
with engagement_events as (
    select * from {{ ref('fct_engagement_events') }}
),

dates as (
    select * from {{ ref('dim_date') }}
),

list_events as (
    select
        cast({{ dbt.date_trunc('month', 'event_date') }} as date) as month_start,
        count(case when event_type = 'list_subscribe' then 1 end) as list_subscribes,
        count(case when event_type = 'list_unsubscribe' then 1 end) as list_unsubscribes
    from engagement_events
    where event_type in ('list_subscribe', 'list_unsubscribe')
    group by 1
),

months as (
    select distinct dates.month_start
    from dates
    where
        dates.month_start >= (select min(list_events.month_start) from list_events)
        and dates.month_start <= (select max(list_events.month_start) from list_events)
),

monthly as (
    select
        months.month_start,
        coalesce(list_events.list_subscribes, 0) as list_subscribes,
        coalesce(list_events.list_unsubscribes, 0) as list_unsubscribes
    from months
    left join list_events
        on months.month_start = list_events.month_start
),

final as (
    select
        month_start,
        list_subscribes,
        list_unsubscribes,
        list_subscribes - list_unsubscribes as net_list_growth,
        cast(coalesce(sum(list_subscribes - list_unsubscribes) over (
            order by month_start
            rows between unbounded preceding and 1 preceding
        ), 0) as bigint) as list_size_at_start
    from monthly
)

select * from final
