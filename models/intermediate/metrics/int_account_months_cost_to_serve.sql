{#- One row per account and month with any cost to serve: support cost plus its share of other retention spend.
    support_cost_usd = tickets opened in the month x var cost_per_ticket_usd + minutes of answered service calls of
      the month (handle_seconds / 60) x var cost_per_call_minute_usd (macro support_cost). A call without an
      account takes its ticket's account; a call with neither stays on a row with a null account_id, so monthly
      totals still carry its cost.
    is_retained: the account was active at the start and at the end of the month (int_account_months_activity_flagged,
      var churn_activity_rule).
    allocated_retention_spend_usd = var retention_other_spend_monthly_usd / retained customers of the month, on each
      retained customer's row (months without a retained customer carry none of that spend).
    cost_to_serve_usd = support_cost_usd + allocated_retention_spend_usd. -#}
with tickets as (
    select * from {{ ref('fct_tickets') }}
),

service_calls as (
    select * from {{ ref('fct_service_calls') }}
),

activity_months as (
    select * from {{ ref('int_account_months_activity_flagged') }}
),

ticket_months as (
    select
        account_id,
        cast({{ dbt.date_trunc('month', 'opened_date') }} as date) as month_start,
        count(*) as ticket_count
    from tickets
    group by 1, 2
),

call_months as (
    select
        coalesce(service_calls.account_id, tickets.account_id) as account_id,
        cast({{ dbt.date_trunc('month', 'service_calls.call_date') }} as date) as month_start,
        sum(
            case when not service_calls.is_abandoned then coalesce(service_calls.handle_seconds, 0) else 0 end
        ) / 60.0 as call_minutes
    from service_calls
    left join tickets
        on service_calls.ticket_id = tickets.ticket_id
    group by 1, 2
),

retained_months as (
    select
        account_id,
        month_start
    from activity_months
    where is_active_at_start and is_active_at_end
),

retained_counts as (
    select
        month_start,
        count(*) as retained_customers
    from retained_months
    group by 1
),

account_months as (
    select
        account_id,
        month_start
    from ticket_months
    union
    select
        account_id,
        month_start
    from call_months
    union
    select
        account_id,
        month_start
    from retained_months
),

costed as (
    select
        account_months.account_id,
        account_months.month_start,
        coalesce(ticket_months.ticket_count, 0) as ticket_count,
        cast(coalesce(call_months.call_minutes, 0) as double) as call_minutes,
        retained_months.account_id is not null as is_retained,
        case
            when retained_months.account_id is not null
                then {{ safe_divide(var('retention_other_spend_monthly_usd'), 'retained_counts.retained_customers') }}
            else 0
        end as allocated_retention_spend_usd
    from account_months
    left join ticket_months
        on
            account_months.account_id is not distinct from ticket_months.account_id
            and account_months.month_start = ticket_months.month_start
    left join call_months
        on
            account_months.account_id is not distinct from call_months.account_id
            and account_months.month_start = call_months.month_start
    left join retained_months
        on
            account_months.account_id = retained_months.account_id
            and account_months.month_start = retained_months.month_start
    left join retained_counts
        on account_months.month_start = retained_counts.month_start
),

final as (
    select
        account_id,
        month_start,
        ticket_count,
        call_minutes,
        {{ support_cost('ticket_count', 'call_minutes') }} as support_cost_usd,
        is_retained,
        allocated_retention_spend_usd,
        {{ support_cost('ticket_count', 'call_minutes') }} + allocated_retention_spend_usd as cost_to_serve_usd
    from costed
)

select * from final
