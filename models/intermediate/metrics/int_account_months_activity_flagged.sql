{#- One row per customer account and month: is the account active at the start of the month and at its end
    (= the start of the next month), under the activity rule of var churn_activity_rule. Logo churn,
    retention and cohort retention all read these flags, so "active" is defined once. -#}
{%- set activity_rule = var('churn_activity_rule') -%}
{%- if activity_rule not in ['subscription', 'orders'] -%}
    {{ exceptions.raise_compiler_error(
        "var churn_activity_rule must be 'subscription' or 'orders', got '" ~ activity_rule ~ "'"
    ) }}
{%- endif %}

with accounts as (
    select * from {{ ref('dim_accounts') }}
),

dates as (
    select * from {{ ref('dim_date') }}
),

subscriptions as (
    select * from {{ ref('fct_subscriptions') }}
),

orders as (
    select * from {{ ref('fct_orders') }}
),

customers as (
    select account_id
    from accounts
    where is_customer
),

months as (
    select distinct month_start
    from dates
    where month_start <= cast({{ dbt.date_trunc('month', as_of_date()) }} as date)
),

-- every month start plus the start of the month after the last one (the end snapshot of the last month)
snapshot_dates as (
    select month_start as snapshot_date
    from months
    union
    select cast({{ dbt.dateadd('month', 1, 'max(month_start)') }} as date) as snapshot_date
    from months
),

account_snapshots as (
    select
        customers.account_id,
        snapshot_dates.snapshot_date
    from customers
    cross join snapshot_dates
),

-- Periods in which an account counts as active, under the configured rule only (the other branch is empty):
--   subscription: in service from started_at through ended_at (its last day of service), or still open
--   orders: a completed order makes the account active on the N days after the order day, so "active on day d"
--           means an order in the N days before d
activity_periods as (
    select
        account_id,
        started_at as active_from,
        ended_at as active_to
    from subscriptions
    where '{{ activity_rule }}' = 'subscription'
    union all
    select
        account_id,
        cast({{ dbt.dateadd('day', 1, 'order_date') }} as date) as active_from,
        cast({{ dbt.dateadd('day', var('churn_inactivity_days'), 'order_date') }} as date) as active_to
    from orders
    where '{{ activity_rule }}' = 'orders' and status = 'completed'
),

active_snapshots as (
    select distinct
        account_snapshots.account_id,
        account_snapshots.snapshot_date
    from account_snapshots
    inner join activity_periods
        on
            account_snapshots.account_id = activity_periods.account_id
            and account_snapshots.snapshot_date >= activity_periods.active_from
            and (activity_periods.active_to is null or account_snapshots.snapshot_date <= activity_periods.active_to)
),

flagged_snapshots as (
    select
        account_snapshots.account_id,
        account_snapshots.snapshot_date,
        active_snapshots.account_id is not null as is_active
    from account_snapshots
    left join active_snapshots
        on
            account_snapshots.account_id = active_snapshots.account_id
            and account_snapshots.snapshot_date = active_snapshots.snapshot_date
),

start_and_end_flags as (
    select
        account_id,
        snapshot_date as month_start,
        is_active as is_active_at_start,
        lead(is_active) over (partition by account_id order by snapshot_date) as is_active_at_end,
        max(case when is_active then 1 else 0 end) over (
            partition by account_id order by snapshot_date rows between unbounded preceding and current row
        ) = 1 as was_active_by_start
    from flagged_snapshots
),

final as (
    select
        account_id,
        month_start,
        cast({{ dbt.dateadd('month', 1, 'month_start') }} as date) as month_end_snapshot,
        '{{ activity_rule }}' as activity_rule,
        is_active_at_start,
        is_active_at_end,
        is_active_at_start and not is_active_at_end as is_churned,
        not is_active_at_start and is_active_at_end and not was_active_by_start as is_new,
        not is_active_at_start and is_active_at_end and was_active_by_start as is_reactivated,
        cast({{ dbt.dateadd('month', 1, 'month_start') }} as date) <= {{ as_of_date() }} as is_complete_month
    from start_and_end_flags
    -- the extra end snapshot has no "next" snapshot: it only serves as the end of the last month
    where is_active_at_end is not null
)

select * from final
