-- One row per valid CRM user (reps, managers, success and support staff), plus one inferred member per user key
-- that kept rows reference but no valid user has (macro inferred_member_keys): role, team and region 'unknown'.
with users as (
    select * from {{ ref('int_users_validated') }}
    where is_valid
),

inferred_user_keys as (
    {{ inferred_member_keys('users', 'user_id') }}
),

final as (
    select
        user_id,
        role,
        team,
        manager_user_id,
        region,
        hired_at,
        is_active,
        false as is_inferred_member
    from users
    union all
    select
        user_id,
        'unknown' as role,  -- noqa: RF04
        'unknown' as team,
        cast(null as {{ dbt.type_string() }}) as manager_user_id,
        'unknown' as region,
        cast(null as date) as hired_at,
        cast(null as boolean) as is_active,
        true as is_inferred_member
    from inferred_user_keys
)

select * from final
