-- One row per valid CRM user (reps, managers, success and support staff).
with users as (
    select * from {{ ref('int_users_validated') }}
    where is_valid
),

final as (
    select
        user_id,
        role,
        team,
        manager_user_id,
        region,
        hired_at,
        is_active
    from users
)

select * from final
