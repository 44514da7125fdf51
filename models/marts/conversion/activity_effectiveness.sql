{#- Sales activity volume and effectiveness per rep and month: what reps logged (activity month) next to the deals
    they closed (close month) and how the activities on those deals relate to winning. -#}
{%- set activity_types = [
    ('call', 'calls'), ('email', 'emails'), ('meeting', 'meetings'), ('demo', 'demos'),
    ('sample', 'samples'), ('event', 'events'), ('proposal', 'proposals'),
] -%}
{%- set engagement_types = ['demo', 'sample', 'event'] -%}

with activities as (
    select * from {{ ref('fct_activities') }}
),

opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

users as (
    select * from {{ ref('dim_users') }}
),

rep_activity as (
    select
        user_id,
        cast({{ dbt.date_trunc('month', 'activity_date') }} as date) as month_start,
        count(*) as interactions,
        {%- for activity_type, column_name in activity_types %}
            count(case when activity_type = '{{ activity_type }}' then 1 end) as {{ column_name }},
        {%- endfor %}
        count(case when activity_type = 'call' and is_connected then 1 end) as connected_calls,
        avg(case when activity_type = 'call' then duration_seconds end) as avg_call_duration_seconds,
        count(distinct opportunity_id) as opportunities_worked,
        count(case when activity_type = 'meeting' and opportunity_id is not null then 1 end) as opportunity_meetings,
        count(distinct account_id) as accounts_touched,
        count(case when account_id is not null then 1 end) as account_interactions
    from activities
    group by 1, 2
),

opportunity_engagement as (
    -- per opportunity: activities logged on it (by anyone, at any time) and which engagement kinds it had
    select
        opportunity_id,
        count(*) as activities,
    {%- for engagement_type in engagement_types %}
        count(case when activity_type = '{{ engagement_type }}' then 1 end) > 0 as had_{{ engagement_type }}
        {{- "," if not loop.last }}
    {%- endfor %}
    from activities
    where opportunity_id is not null
    group by 1
),

closed_deals as (
    select
        opportunities.owner_user_id as user_id,
        cast({{ dbt.date_trunc('month', 'opportunities.close_date') }} as date) as month_start,
        opportunities.opportunity_id,
        opportunities.is_won,
        opportunities.is_lost,
        coalesce(opportunity_engagement.activities, 0) as activities,
    {%- for engagement_type in engagement_types %}
        coalesce(opportunity_engagement.had_{{ engagement_type }}, false) as had_{{ engagement_type }}
        {{- "," if not loop.last }}
    {%- endfor %}
    from opportunities
    left join opportunity_engagement
        on opportunities.opportunity_id = opportunity_engagement.opportunity_id
    where opportunities.is_won or opportunities.is_lost
),

rep_deals as (
    select
        user_id,
        month_start,
        count(*) as closed_deals,
        count(case when is_won then 1 end) as won_deals,
        cast(sum(case when is_won then activities else 0 end) as bigint) as activities_on_won_deals,
    {%- for engagement_type in engagement_types %}
        count(case when had_{{ engagement_type }} then 1 end) as closed_deals_with_{{ engagement_type }},
        count(case when had_{{ engagement_type }} and is_won then 1 end) as won_deals_with_{{ engagement_type }},
        {{ win_rate(
            'had_' ~ engagement_type ~ ' and is_won', 'had_' ~ engagement_type ~ ' and is_lost'
        ) }} as {{ engagement_type }}_conversion_rate{{ "," if not loop.last }}
    {%- endfor %}
    from closed_deals
    group by 1, 2
),

rep_months as (
    -- a rep's months; activities and deals the export credits to no user belong to no rep's row
    select
        user_id,
        month_start
    from rep_activity
    where user_id is not null
    union
    select
        user_id,
        month_start
    from rep_deals
    where user_id is not null
),

final as (
    select
        rep_months.month_start,
        rep_months.user_id,
        users.team,
        coalesce(rep_activity.interactions, 0) as interactions,
        {%- for activity_type, column_name in activity_types %}
            coalesce(rep_activity.{{ column_name }}, 0) as {{ column_name }},
        {%- endfor %}
        coalesce(rep_activity.connected_calls, 0) as connected_calls,
        {{ safe_divide('rep_activity.connected_calls', 'rep_activity.calls') }} as call_connect_rate,
        cast(rep_activity.avg_call_duration_seconds as double) as avg_call_duration_seconds,
        coalesce(rep_deals.closed_deals, 0) as closed_deals,
        coalesce(rep_deals.won_deals, 0) as won_deals,
        coalesce(rep_deals.activities_on_won_deals, 0) as activities_on_won_deals,
        {{ safe_divide('rep_deals.activities_on_won_deals', 'rep_deals.won_deals') }} as interactions_per_won_deal,
        {%- for engagement_type in engagement_types %}
            coalesce(rep_deals.closed_deals_with_{{ engagement_type }}, 0)
                as closed_deals_with_{{ engagement_type }},
            coalesce(rep_deals.won_deals_with_{{ engagement_type }}, 0) as won_deals_with_{{ engagement_type }},
            rep_deals.{{ engagement_type }}_conversion_rate,
        {%- endfor %}
        {{ safe_divide('coalesce(rep_activity.demos, 0)', 'rep_deals.won_deals') }} as demos_per_won_deal,
        coalesce(rep_activity.opportunities_worked, 0) as opportunities_worked,
        {{ safe_divide('rep_activity.opportunity_meetings', 'rep_activity.opportunities_worked') }}
            as meetings_per_opportunity,
        coalesce(rep_activity.accounts_touched, 0) as accounts_touched,
        {{ safe_divide('rep_activity.account_interactions', 'rep_activity.accounts_touched') }}
            as interactions_per_account
    from rep_months
    left join rep_activity
        on
            rep_months.user_id = rep_activity.user_id
            and rep_months.month_start = rep_activity.month_start
    left join rep_deals
        on
            rep_months.user_id = rep_deals.user_id
            and rep_months.month_start = rep_deals.month_start
    left join users
        on rep_months.user_id = users.user_id
)

select * from final
