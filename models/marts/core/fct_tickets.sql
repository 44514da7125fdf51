-- One row per valid support ticket with response and resolution durations, SLA, FCR and escalation flags.
-- An SLA with no response/resolution yet is breached (false) once its target has passed by the end of
-- as_of_date, and still undecided (null) before that.
with tickets as (
    select * from {{ ref('int_tickets_validated') }}
    where is_valid
),

durations as (
    select
        tickets.*,
        cast(tickets.opened_at as date) as opened_date,
        {{ hours_between('tickets.opened_at', 'tickets.first_response_at') }} as first_response_hours,
        {{ hours_between('tickets.opened_at', 'tickets.resolved_at') }} as resolution_hours,
        {{ hours_between('tickets.opened_at', 'tickets.escalated_at') }} as hours_to_escalation,
        {{ hours_between('tickets.opened_at', dbt.dateadd('day', 1, as_of_date())) }} as hours_open_so_far,
        (tickets.resolved_at is not null or tickets.status in ('resolved', 'closed')) as is_resolved
    from tickets
),

final as (
    select
        ticket_id,
        account_id,
        contact_id,
        assigned_user_id,
        -- a ticket kept without one reads 'unknown' (and 'other' when its value is outside the list)
        coalesce(channel, 'unknown') as channel,
        coalesce(priority, 'unknown') as priority,
        coalesce(category, 'unknown') as category,
        status,
        opened_at,
        opened_date,
        first_response_at,
        resolved_at,
        escalated_at,
        first_response_hours,
        resolution_hours,
        hours_to_escalation,
        escalated_at is not null as is_escalated,
        is_resolved,
        (is_resolved and coalesce(interactions_count <= 1, false)) as is_first_contact_resolution,
        coalesce(cast(resolved_at as date) = opened_date, false) as is_same_day_resolution,
        case
            when sla_first_response_hours is null then null
            when first_response_at is not null then first_response_hours <= sla_first_response_hours
            when hours_open_so_far > sla_first_response_hours then false
        end as met_first_response_sla,
        case
            when sla_resolution_hours is null then null
            when resolved_at is not null then resolution_hours <= sla_resolution_hours
            when hours_open_so_far > sla_resolution_hours then false
        end as met_resolution_sla,
        cast(interactions_count as {{ dbt.type_int() }}) as interactions_count,
        coalesce(category = 'complaint', false) as is_complaint,
        subject,
        description,
        cast(sla_first_response_hours as double) as sla_first_response_hours,
        cast(sla_resolution_hours as double) as sla_resolution_hours
    from durations
)

select * from final
