-- One row per valid CRM log-in (adoption).
with crm_logins as (
    select * from {{ ref('int_crm_logins_validated') }}
    where is_valid
),

final as (
    select
        login_id,
        user_id,
        logged_in_at,
        cast(logged_in_at as date) as login_date,
        cast(session_seconds as {{ dbt.type_int() }}) as session_seconds
    from crm_logins
)

select * from final
