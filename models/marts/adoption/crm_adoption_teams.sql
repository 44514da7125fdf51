{#- CRM adoption per team and month: the user-month rows of crm_adoption added up per team. -#}
with crm_adoption as (
    select * from {{ ref('crm_adoption') }}
),

team_months as (
    select
        team,
        month_start,
        count(*) as users_on_roster,
        sum(case when is_active_user then 1 else 0 end) as active_users,
        sum(logins) as logins,
        sum(records_created) as records_created,
        sum(activities_logged) as activities_logged,
        sum(open_deals) as open_deals,
        sum(open_deals_missing_next_step) as open_deals_missing_next_step,
        sum(open_deals_past_close_date) as open_deals_past_close_date
    from crm_adoption
    group by 1, 2
),

final as (
    select
        team,
        month_start,
        cast(users_on_roster as bigint) as users_on_roster,
        cast(active_users as bigint) as active_users,
        {{ safe_divide('active_users', 'users_on_roster') }} as active_user_share,
        cast(logins as bigint) as logins,
        {{ safe_divide('logins', 'users_on_roster') }} as logins_per_user,
        cast(records_created as bigint) as records_created,
        {{ safe_divide('records_created', 'users_on_roster') }} as records_created_per_user,
        cast(activities_logged as bigint) as activities_logged,
        {{ safe_divide('activities_logged', 'users_on_roster') }} as activities_logged_per_user,
        cast(open_deals as bigint) as open_deals,
        cast(open_deals_missing_next_step as bigint) as open_deals_missing_next_step,
        cast(open_deals_past_close_date as bigint) as open_deals_past_close_date,
        1 - {{ safe_divide('open_deals_missing_next_step', 'open_deals') }} as next_step_filled_share,
        1 - {{ safe_divide('open_deals_past_close_date', 'open_deals') }} as close_date_current_share
    from team_months
)

select * from final
