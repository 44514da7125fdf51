with

base_tickets as (
    select * from {{ ref('base_crm__tickets') }}
),

latest_versions as (
    -- One row per ticket_id: exact duplicates collapsed, superseded versions left to quarantine.
    select * from base_tickets
    where _dup_rank = 1 and _key_rank = 1
),

final as (
    select
        ticket_id,
        account_id,
        contact_id,
        assigned_user_id,
        channel,
        priority,
        category,
        subject,
        description,
        status,
        opened_at,
        first_response_at,
        resolved_at,
        escalated_at,
        interactions_count,
        sla_first_response_hours,
        sla_resolution_hours,
        updated_at,
        _row_number,
        _invalid_columns,
        _invalid_values
    from latest_versions
)

select * from final
