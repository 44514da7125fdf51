-- Per-rep view, one row per sales rep / manager (dim_users role) and month from the month of hire up to the
-- as-of month. Reuses the pipeline and goal_attainment marts (rep rows) rather than re-deriving them; adds the
-- rep's open leads at the snapshot day (and how many of them had an activity logged in the month), activities
-- logged in the month and the rep's latest activity, and flags the most and least active reps of the month among
-- those with any open lead, open deal or activity. Open and won deals without amount count in open_opportunities
-- and won_deals, not in the values (open_opportunities_missing_amount, won_deals_missing_amount). The reps are the
-- users with a sales role; an inferred user (dim_users.is_inferred_member, role 'unknown') has no row here.
with users as (
    select * from {{ ref('dim_users') }}
),

month_ends as (
    select * from {{ ref('int_month_end_snapshot_dates') }}
),

pipeline as (
    select * from {{ ref('pipeline') }}
    where dimension_name = 'rep'
),

goal_attainment as (
    select * from {{ ref('goal_attainment') }}
    where dimension_name = 'rep'
),

leads as (
    select * from {{ ref('fct_leads') }}
),

activities as (
    select * from {{ ref('fct_activities') }}
),

reps as (
    select
        user_id,
        role,
        team,
        cast({{ dbt.date_trunc('month', 'hired_at') }} as date) as hired_month
    from users
    where role in ('sales_rep', 'sales_manager')
),

rep_months as (
    select
        reps.user_id,
        reps.role,
        reps.team,
        month_ends.month_start,
        month_ends.snapshot_date
    from reps
    cross join month_ends
    where reps.hired_month is null or month_ends.month_start >= reps.hired_month
),

lead_months_touched as (
    select distinct
        lead_id,
        cast({{ dbt.date_trunc('month', 'activity_date') }} as date) as month_start
    from activities
    where lead_id is not null
),

open_leads as (
    -- Open at the snapshot day: created by then and not converted by then. Leads whose current status is
    -- unqualified carry no disqualification date and are never counted (an undercount, documented).
    select
        rep_months.user_id,
        rep_months.month_start,
        count(*) as open_leads,
        count(lead_months_touched.lead_id) as open_leads_touched
    from rep_months
    inner join leads
        on
            rep_months.user_id = leads.owner_user_id
            and rep_months.snapshot_date >= leads.created_date
            and (
                (not leads.is_converted and leads.status != 'unqualified')
                or (leads.is_converted and cast(leads.converted_at as date) > rep_months.snapshot_date)
            )
    left join lead_months_touched
        on
            leads.lead_id = lead_months_touched.lead_id
            and rep_months.month_start = lead_months_touched.month_start
    group by 1, 2
),

monthly_activities as (
    select
        user_id,
        cast({{ dbt.date_trunc('month', 'activity_date') }} as date) as month_start,
        count(*) as activities,
        max(activity_date) as last_activity_date
    from activities
    group by 1, 2
),

latest_activity as (
    select
        rep_months.user_id,
        rep_months.month_start,
        max(monthly_activities.last_activity_date) as last_activity_date
    from rep_months
    inner join monthly_activities
        on
            rep_months.user_id = monthly_activities.user_id
            and rep_months.month_start >= monthly_activities.month_start
    group by 1, 2
),

joined as (
    select
        rep_months.month_start,
        rep_months.user_id,
        rep_months.role,
        coalesce(rep_months.team, 'unknown') as team,
        coalesce(open_leads.open_leads, 0) as open_leads,
        coalesce(open_leads.open_leads_touched, 0) as open_leads_touched,
        coalesce(pipeline.open_opportunities, 0) as open_opportunities,
        coalesce(pipeline.pipeline_value_usd, 0) as pipeline_value_usd,
        coalesce(pipeline.weighted_pipeline_usd, 0) as weighted_pipeline_usd,
        coalesce(pipeline.open_opportunities_missing_amount, 0) as open_opportunities_missing_amount,
        coalesce(goal_attainment.won_deals, 0) as won_deals,
        coalesce(goal_attainment.won_amount_usd, 0) as won_amount_usd,
        coalesce(goal_attainment.won_deals_missing_amount, 0) as won_deals_missing_amount,
        coalesce(goal_attainment.won_amount_prior_year_usd, 0) as won_amount_prior_year_usd,
        goal_attainment.quota_usd,
        goal_attainment.attainment_ratio,
        coalesce(monthly_activities.activities, 0) as activities,
        latest_activity.last_activity_date,
        {{ dbt.datediff('latest_activity.last_activity_date', 'rep_months.snapshot_date', 'day') }}
            as days_since_last_activity
    from rep_months
    left join open_leads
        on
            rep_months.user_id = open_leads.user_id
            and rep_months.month_start = open_leads.month_start
    left join pipeline
        on
            rep_months.user_id = pipeline.dimension_value
            and rep_months.month_start = pipeline.month_start
    left join goal_attainment
        on
            rep_months.user_id = goal_attainment.dimension_value
            and rep_months.month_start = goal_attainment.month_start
    left join monthly_activities
        on
            rep_months.user_id = monthly_activities.user_id
            and rep_months.month_start = monthly_activities.month_start
    left join latest_activity
        on
            rep_months.user_id = latest_activity.user_id
            and rep_months.month_start = latest_activity.month_start
),

ranked as (
    select
        joined.*,
        joined.open_leads + joined.open_opportunities + joined.activities > 0 as is_working,
        max(case when joined.open_leads + joined.open_opportunities + joined.activities > 0 then joined.activities end)
            over (partition by joined.month_start) as max_activities,
        min(case when joined.open_leads + joined.open_opportunities + joined.activities > 0 then joined.activities end)
            over (partition by joined.month_start) as min_activities
    from joined
),

final as (
    select
        month_start,
        user_id,
        role,
        team,
        cast(open_leads as bigint) as open_leads,
        cast(open_leads_touched as bigint) as open_leads_touched,
        cast(open_opportunities as bigint) as open_opportunities,
        cast(pipeline_value_usd as double) as pipeline_value_usd,
        cast(weighted_pipeline_usd as double) as weighted_pipeline_usd,
        cast(open_opportunities_missing_amount as bigint) as open_opportunities_missing_amount,
        cast(won_deals as bigint) as won_deals,
        cast(won_amount_usd as double) as won_amount_usd,
        cast(won_deals_missing_amount as bigint) as won_deals_missing_amount,
        cast(won_amount_prior_year_usd as double) as won_amount_prior_year_usd,
        cast(quota_usd as double) as quota_usd,
        cast(attainment_ratio as double) as attainment_ratio,
        cast(activities as bigint) as activities,
        last_activity_date,
        cast(days_since_last_activity as integer) as days_since_last_activity,
        case when is_working then activities = max_activities end as is_most_active,
        case when is_working then activities = min_activities end as is_least_active
    from ranked
)

select * from final
