{#- Support performance per month and ticket channel (channel = 'all' is the total over channels). Tickets count
    in the month they were opened; service calls (always phone) count on the 'phone' and 'all' rows. -#}
{%- set categories = ['billing', 'technical', 'how_to', 'feature_request', 'complaint', 'outage'] -%}

with tickets as (
    select * from {{ ref('fct_tickets') }}
),

service_calls as (
    select * from {{ ref('fct_service_calls') }}
),

orders as (
    select * from {{ ref('fct_orders') }}
),

dates as (
    select * from {{ ref('dim_date') }}
),

month_days as (
    select
        month_start,
        count(*) as days_in_month
    from dates
    where date_day <= {{ as_of_date() }}
    group by 1
),

ticket_rows as (
    select
        ticket_id,
        account_id,
        channel,
        category,
        opened_at,
        resolved_at,
        cast({{ dbt.date_trunc('month', 'opened_date') }} as date) as month_start,
        first_response_hours,
        resolution_hours,
        hours_to_escalation,
        is_escalated,
        is_resolved,
        is_first_contact_resolution,
        is_same_day_resolution,
        met_first_response_sla,
        met_resolution_sla,
        is_complaint
    from tickets
),

-- each ticket once on its own channel's row and once on the 'all' row
tickets_by_channel as (
    select
        *,
        channel as channel_group
    from ticket_rows
    union all
    select
        *,
        'all' as channel_group
    from ticket_rows
),

-- service calls are phone interactions: each call once on the 'phone' row and once on the 'all' row
call_channel_groups as (
    select 'phone' as channel_group
    union all
    select 'all' as channel_group
),

calls_by_channel as (
    select
        service_calls.call_id,
        service_calls.account_id,
        cast({{ dbt.date_trunc('month', 'service_calls.call_date') }} as date) as month_start,
        service_calls.is_abandoned,
        service_calls.wait_seconds,
        service_calls.handle_seconds,
        call_channel_groups.channel_group
    from service_calls
    cross join call_channel_groups
),

channel_groups as (
    select distinct channel_group from tickets_by_channel
    union
    select channel_group from call_channel_groups
),

grid as (
    select
        month_days.month_start,
        channel_groups.channel_group,
        month_days.days_in_month
    from month_days
    cross join channel_groups
),

ticket_metrics as (
    select
        month_start,
        channel_group,
        count(*) as tickets_opened,
        count(distinct account_id) as accounts_with_tickets,
        {%- for category in categories %}
            sum(case when category = '{{ category }}' then 1 else 0 end) as {{ category }}_tickets,
        {%- endfor %}
        avg(first_response_hours) as avg_first_response_hours,
        {{ percentile('first_response_hours', 0.5) }} as median_first_response_hours,
        avg(resolution_hours) as avg_resolution_hours,
        {{ percentile('resolution_hours', 0.5) }} as median_resolution_hours,
        sum(case when is_resolved then 1 else 0 end) as resolved_tickets,
        sum(case when is_first_contact_resolution then 1 else 0 end) as first_contact_resolutions,
        sum(case when is_escalated then 1 else 0 end) as escalated_tickets,
        avg(hours_to_escalation) as avg_hours_to_escalation,
        sum(case when is_same_day_resolution then 1 else 0 end) as same_day_resolutions,
        sum(case when met_first_response_sla then 1 else 0 end) as first_response_sla_met,
        sum(case when met_resolution_sla then 1 else 0 end) as resolution_sla_met,
        sum(case when met_first_response_sla and met_resolution_sla then 1 else 0 end) as sla_met,
        avg(case when is_complaint then resolution_hours end) as avg_complaint_resolution_hours,
        {{ percentile('case when is_complaint then resolution_hours end', 0.5) }}
            as median_complaint_resolution_hours
    from tickets_by_channel
    group by 1, 2
),

category_ranks as (
    select
        month_start,
        channel_group,
        category,
        row_number() over (
            partition by month_start, channel_group order by count(*) desc, category
        ) as category_rank
    from tickets_by_channel
    group by 1, 2, 3
),

-- tickets still open at the end of the month (opened before the next month starts, not resolved by then)
open_at_month_end as (
    select
        grid.month_start,
        grid.channel_group,
        count(*) as open_tickets_at_month_end,
        count(distinct tickets_by_channel.account_id) as accounts_with_open_tickets
    from grid
    inner join tickets_by_channel
        on
            grid.channel_group = tickets_by_channel.channel_group
            and tickets_by_channel.opened_at < cast({{ dbt.dateadd('month', 1, 'grid.month_start') }} as timestamp)
            and (
                tickets_by_channel.resolved_at is null
                or tickets_by_channel.resolved_at
                >= cast({{ dbt.dateadd('month', 1, 'grid.month_start') }} as timestamp)
            )
    group by 1, 2
),

call_metrics as (
    select
        month_start,
        channel_group,
        count(*) as service_calls,
        sum(case when is_abandoned then 1 else 0 end) as abandoned_calls,
        avg(case when not is_abandoned then handle_seconds end) as avg_handle_seconds,
        avg(wait_seconds) as avg_wait_seconds
    from calls_by_channel
    group by 1, 2
),

-- accounts served in the month (a ticket opened or a call) and their revenue in that month
serviced_accounts as (
    select distinct
        month_start,
        channel_group,
        account_id
    from tickets_by_channel
    union
    select distinct
        month_start,
        channel_group,
        account_id
    from calls_by_channel
    where account_id is not null
),

monthly_account_revenue as (
    select
        account_id,
        order_month as month_start,
        sum(revenue_usd) as revenue_usd
    from orders
    group by 1, 2
),

serviced_revenue as (
    select
        serviced_accounts.month_start,
        serviced_accounts.channel_group,
        sum(coalesce(monthly_account_revenue.revenue_usd, 0)) as serviced_customer_revenue_usd
    from serviced_accounts
    left join monthly_account_revenue
        on
            serviced_accounts.account_id = monthly_account_revenue.account_id
            and serviced_accounts.month_start = monthly_account_revenue.month_start
    group by 1, 2
),

final as (
    select
        grid.month_start,
        grid.channel_group as channel,
        cast(coalesce(ticket_metrics.tickets_opened, 0) as bigint) as tickets_opened,
        cast(coalesce(ticket_metrics.accounts_with_tickets, 0) as bigint) as accounts_with_tickets,
        {{ safe_divide('ticket_metrics.tickets_opened', 'ticket_metrics.accounts_with_tickets') }}
            as tickets_per_customer,
        cast(coalesce(open_at_month_end.open_tickets_at_month_end, 0) as bigint) as open_tickets_at_month_end,
        cast(coalesce(open_at_month_end.accounts_with_open_tickets, 0) as bigint) as accounts_with_open_tickets,
        {{ safe_divide('open_at_month_end.open_tickets_at_month_end',
            'open_at_month_end.accounts_with_open_tickets') }} as open_tickets_per_customer,
        {%- for category in categories %}
            cast(coalesce(ticket_metrics.{{ category }}_tickets, 0) as bigint) as {{ category }}_tickets,
        {%- endfor %}
        top_categories.category as top_category,
        cast(ticket_metrics.avg_first_response_hours as double) as avg_first_response_hours,
        cast(ticket_metrics.median_first_response_hours as double) as median_first_response_hours,
        cast(ticket_metrics.avg_resolution_hours as double) as avg_resolution_hours,
        cast(ticket_metrics.median_resolution_hours as double) as median_resolution_hours,
        cast(coalesce(ticket_metrics.resolved_tickets, 0) as bigint) as resolved_tickets,
        cast(coalesce(ticket_metrics.first_contact_resolutions, 0) as bigint) as first_contact_resolutions,
        {{ safe_divide('ticket_metrics.first_contact_resolutions', 'ticket_metrics.resolved_tickets') }}
            as first_contact_resolution_rate,
        cast(coalesce(ticket_metrics.escalated_tickets, 0) as bigint) as escalated_tickets,
        {{ safe_divide('ticket_metrics.escalated_tickets', 'ticket_metrics.tickets_opened') }} as escalation_rate,
        cast(ticket_metrics.avg_hours_to_escalation as double) as avg_hours_to_escalation,
        {{ safe_divide('ticket_metrics.same_day_resolutions', 'ticket_metrics.tickets_opened') }}
            as same_day_resolution_rate,
        {{ safe_divide('ticket_metrics.first_response_sla_met', 'ticket_metrics.tickets_opened') }}
            as first_response_sla_rate,
        {{ safe_divide('ticket_metrics.resolution_sla_met', 'ticket_metrics.tickets_opened') }}
            as resolution_sla_rate,
        {{ safe_divide('ticket_metrics.sla_met', 'ticket_metrics.tickets_opened') }} as sla_compliance_rate,
        cast(ticket_metrics.avg_complaint_resolution_hours as double) as avg_complaint_resolution_hours,
        cast(ticket_metrics.median_complaint_resolution_hours as double) as median_complaint_resolution_hours,
        cast(coalesce(call_metrics.service_calls, 0) as bigint) as service_calls,
        {{ safe_divide('coalesce(call_metrics.service_calls, 0)', 'grid.days_in_month') }} as service_calls_per_day,
        cast(coalesce(call_metrics.abandoned_calls, 0) as bigint) as abandoned_calls,
        {{ safe_divide('call_metrics.abandoned_calls', 'call_metrics.service_calls') }} as call_abandonment_rate,
        cast(call_metrics.avg_handle_seconds as double) as avg_handle_seconds,
        cast(call_metrics.avg_wait_seconds as double) as avg_wait_seconds,
        cast(coalesce(ticket_metrics.tickets_opened, 0) + coalesce(call_metrics.service_calls, 0) as bigint)
            as service_interactions,
        cast(coalesce(serviced_revenue.serviced_customer_revenue_usd, 0) as double)
            as serviced_customer_revenue_usd,
        {{ safe_divide('serviced_revenue.serviced_customer_revenue_usd',
            'coalesce(ticket_metrics.tickets_opened, 0) + coalesce(call_metrics.service_calls, 0)') }}
            as revenue_per_service_interaction_usd
    from grid
    left join ticket_metrics
        on grid.month_start = ticket_metrics.month_start and grid.channel_group = ticket_metrics.channel_group
    left join category_ranks as top_categories
        on
            grid.month_start = top_categories.month_start
            and grid.channel_group = top_categories.channel_group
            and top_categories.category_rank = 1
    left join open_at_month_end
        on grid.month_start = open_at_month_end.month_start and grid.channel_group = open_at_month_end.channel_group
    left join call_metrics
        on grid.month_start = call_metrics.month_start and grid.channel_group = call_metrics.channel_group
    left join serviced_revenue
        on grid.month_start = serviced_revenue.month_start and grid.channel_group = serviced_revenue.channel_group
)

select * from final
