with

base_service_calls as (
    select * from {{ ref('base_crm__service_calls') }}
),

latest_versions as (
    -- One row per call_id: exact duplicates collapsed, superseded versions left to quarantine.
    select * from base_service_calls
    where _dup_rank = 1 and _key_rank = 1
),

final as (
    select
        call_id,
        account_id,
        ticket_id,
        agent_user_id,
        queued_at,
        answered_at,
        ended_at,
        outcome,
        handle_seconds,
        _row_number,
        _invalid_columns,
        _invalid_values
    from latest_versions
)

select * from final
