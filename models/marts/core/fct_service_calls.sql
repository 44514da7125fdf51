-- One row per valid call to the service line. Wait = queue entry to answer, or to hang-up when abandoned.
with service_calls as (
    select * from {{ ref('int_service_calls_validated') }}
    where is_valid
),

final as (
    select
        call_id,
        account_id,
        ticket_id,
        agent_user_id,
        queued_at,
        cast(queued_at as date) as call_date,
        answered_at,
        ended_at,
        outcome,
        outcome = 'abandoned' as is_abandoned,
        cast(
            {{ dbt.datediff('queued_at', 'coalesce(answered_at, ended_at)', 'second') }}
            as {{ dbt.type_int() }}
        ) as wait_seconds,
        cast(handle_seconds as {{ dbt.type_int() }}) as handle_seconds
    from service_calls
)

select * from final
