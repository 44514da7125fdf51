-- Quota per month in the long form the cycle-length marts share: dimension all, team (the team of the quota's
-- rep in dim_users, 'unknown' without one) and rep. Read by goal_attainment and pipeline.
with quotas as (
    select * from {{ ref('int_quotas_converted') }}
),

users as (
    select * from {{ ref('dim_users') }}
),

quota_dimensions as (
    select
        'all' as dimension_name,
        'all' as dimension_value,
        quotas.month_start,
        quotas.quota_usd
    from quotas
    union all
    select
        'team' as dimension_name,
        coalesce(users.team, 'unknown') as dimension_value,
        quotas.month_start,
        quotas.quota_usd
    from quotas
    left join users
        on quotas.user_id = users.user_id
    union all
    select
        'rep' as dimension_name,
        quotas.user_id as dimension_value,
        quotas.month_start,
        quotas.quota_usd
    from quotas
),

final as (
    select
        month_start,
        dimension_name,
        dimension_value,
        sum(quota_usd) as quota_usd
    from quota_dimensions
    group by 1, 2, 3
)

select * from final
