{#- CRM adoption per user and month: did the user log in, how much they used the CRM, what they recorded, and
    (current month only) the hygiene of the open deals they own. -#}
{%- set record_types = ['account', 'contact', 'lead', 'opportunity'] -%}

with users as (
    select * from {{ ref('dim_users') }}
    -- an inferred member is a user id some record names, not a CRM user whose adoption can be measured
    where not is_inferred_member
),

dates as (
    select * from {{ ref('dim_date') }}
),

logins as (
    select * from {{ ref('fct_crm_logins') }}
),

created_records as (
    select * from {{ ref('int_crm_records_unioned') }}
),

activities as (
    select * from {{ ref('fct_activities') }}
),

opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

months as (
    select distinct month_start
    from dates
    where month_start <= cast({{ dbt.date_trunc('month', as_of_date()) }} as date)
),

-- every user in every month from the month they were hired (all months when the hire date is unknown)
user_months as (
    select
        users.user_id,
        users.role,
        coalesce(users.team, 'unassigned') as team,
        months.month_start
    from users
    cross join months
    where users.hired_at is null or months.month_start >= cast({{ dbt.date_trunc('month', 'users.hired_at') }} as date)
),

monthly_logins as (
    select
        user_id,
        cast({{ dbt.date_trunc('month', 'login_date') }} as date) as month_start,
        count(*) as logins,
        count(distinct login_date) as login_days,
        sum(coalesce(session_seconds, 0)) / 3600.0 as session_hours
    from logins
    group by 1, 2
),

monthly_records as (
    select
        created_by_user_id as user_id,
        cast({{ dbt.date_trunc('month', 'created_at') }} as date) as month_start,
        {%- for record_type in record_types %}
            sum(case when record_type = '{{ record_type }}' then 1 else 0 end) as {{ record_type }}_records_created,
        {%- endfor %}
        count(*) as records_created
    from created_records
    where created_by_user_id is not null
    group by 1, 2
),

monthly_activities as (
    select
        user_id,
        cast({{ dbt.date_trunc('month', 'activity_date') }} as date) as month_start,
        count(*) as activities_logged
    from activities
    group by 1, 2
),

-- hygiene is a snapshot of today's open deals (the extract holds only the current next_step and close_date)
open_deal_hygiene as (
    select
        owner_user_id as user_id,
        cast({{ dbt.date_trunc('month', as_of_date()) }} as date) as month_start,
        count(*) as open_deals,
        sum(case when next_step is null or trim(next_step) = '' then 1 else 0 end) as open_deals_missing_next_step,
        sum(case when close_date < {{ as_of_date() }} then 1 else 0 end) as open_deals_past_close_date
    from opportunities
    where not is_closed
    group by 1, 2
),

final as (
    select
        user_months.user_id,
        user_months.month_start,
        user_months.role,
        user_months.team,
        coalesce(monthly_logins.logins, 0) > 0 as is_active_user,
        cast(coalesce(monthly_logins.logins, 0) as bigint) as logins,
        cast(coalesce(monthly_logins.login_days, 0) as bigint) as login_days,
        cast(coalesce(monthly_logins.session_hours, 0) as double) as session_hours,
        {%- for record_type in record_types %}
            cast(coalesce(monthly_records.{{ record_type }}_records_created, 0) as bigint)
                as {{ record_type }}_records_created,
        {%- endfor %}
        cast(coalesce(monthly_records.records_created, 0) as bigint) as records_created,
        cast(coalesce(monthly_activities.activities_logged, 0) as bigint) as activities_logged,
        cast(open_deal_hygiene.open_deals as bigint) as open_deals,
        cast(open_deal_hygiene.open_deals_missing_next_step as bigint) as open_deals_missing_next_step,
        cast(open_deal_hygiene.open_deals_past_close_date as bigint) as open_deals_past_close_date,
        1 - {{ safe_divide('open_deal_hygiene.open_deals_missing_next_step', 'open_deal_hygiene.open_deals') }}
            as next_step_filled_share,
        1 - {{ safe_divide('open_deal_hygiene.open_deals_past_close_date', 'open_deal_hygiene.open_deals') }}
            as close_date_current_share
    from user_months
    left join monthly_logins
        on user_months.user_id = monthly_logins.user_id and user_months.month_start = monthly_logins.month_start
    left join monthly_records
        on user_months.user_id = monthly_records.user_id and user_months.month_start = monthly_records.month_start
    left join monthly_activities
        on
            user_months.user_id = monthly_activities.user_id
            and user_months.month_start = monthly_activities.month_start
    left join open_deal_hygiene
        on
            user_months.user_id = open_deal_hygiene.user_id
            and user_months.month_start = open_deal_hygiene.month_start
)

select * from final
