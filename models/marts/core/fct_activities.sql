{{
    config(
        materialized='incremental',
        unique_key='activity_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail'
    )
}}
-- One row per valid sales activity. Incremental on occurred_at: a run re-processes every activity from
-- var incremental_lookback_days before the newest one already loaded (late arrivals replace their old row).
with activities as (
    select * from {{ ref('int_activities_validated') }}
    where is_valid
),

new_activities as (
    select * from activities
    {% if is_incremental() %}
        -- the lookback window, and any activity not loaded yet (a call logged days after it happened)
        where
            occurred_at >= (
                select {{ dbt.dateadd('day', -var('incremental_lookback_days'), 'max(occurred_at)') }}
                from {{ this }}
            )
            or activity_id not in (select loaded.activity_id from {{ this }} as loaded)
    {% endif %}
),

final as (
    select
        activity_id,
        activity_type,
        user_id,
        account_id,
        contact_id,
        lead_id,
        opportunity_id,
        occurred_at,
        cast(occurred_at as date) as activity_date,
        cast(duration_seconds as {{ dbt.type_int() }}) as duration_seconds,
        is_connected
    from new_activities
)

select * from final
