-- The rep's work list as of the as-of date: one row per open lead and open deal of each sales rep / manager
-- (dim_users role sales_rep or sales_manager), with its last activity, overdue close date, how active its account
-- is, and one suggested next step from explicit rules. Counts per rep and month (open leads, open deals, latest
-- activity, most / least active reps) stay in rep_scorecard; this mart is the item-level list behind them.
-- Open lead: created by the as-of date, not converted and not unqualified (as in rep_scorecard). Open deal: not
-- closed (fct_opportunities.is_closed false). Activities count when logged on or before the as-of date against the
-- lead (activities.lead_id) or the deal (activities.opportunity_id); account activity counts every activity of
-- the rep on the account in the last var rep_workspace_account_window_days days.
-- Next step: the first rule that applies, in this order (rule ids in next_step_rule):
--   1 update_close_date  deal whose expected close date is before the as-of date, or missing
--   2 first_contact      lead never answered (no first response) and with no activity logged
--   3 follow_up          no activity on the item in the last var rep_workspace_follow_up_days days (14): the last
--                        activity is more than that many days before the as-of date, or there is none
--   4 send_proposal      deal with a demo done (a demo activity) and no proposal (activity) yet
--   5 book_demo          deal with no demo and no proposal, created at least var rep_workspace_demo_after_days
--                        days ago (21)
--   6 on_track           none of the above: keep to the agreed next step
with users as (
    select * from {{ ref('dim_users') }}
),

leads as (
    select * from {{ ref('fct_leads') }}
),

opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

activities as (
    select * from {{ ref('fct_activities') }}
    where activity_date <= {{ as_of_date() }}
),

reps as (
    select
        user_id,
        role,
        coalesce(team, 'unknown') as team
    from users
    where role in ('sales_rep', 'sales_manager')
),

open_items as (
    select
        'lead' as item_type,
        lead_id as item_id,
        owner_user_id as user_id,
        cast(null as varchar) as account_id,
        status as stage,  -- noqa: RF04
        cast(null as double) as amount_usd,
        created_date,
        cast(null as date) as expected_close_date,
        first_response_at is not null as is_answered,
        cast(null as varchar) as rep_next_step
    from leads
    where
        not is_converted
        and status != 'unqualified'
        and created_date <= {{ as_of_date() }}
    union all
    select
        'opportunity' as item_type,
        opportunity_id as item_id,
        owner_user_id as user_id,
        account_id,
        stage,
        cast(amount_usd as double) as amount_usd,
        created_date,
        close_date as expected_close_date,
        true as is_answered,
        next_step as rep_next_step
    from opportunities
    where not is_closed
),

item_activities as (
    select
        'lead' as item_type,
        lead_id as item_id,
        activity_type,
        activity_date
    from activities
    where lead_id is not null
    union all
    select
        'opportunity' as item_type,
        opportunity_id as item_id,
        activity_type,
        activity_date
    from activities
    where opportunity_id is not null
),

item_activity_summary as (
    select
        item_type,
        item_id,
        count(*) as item_activities,
        max(activity_date) as last_activity_date,
        count(case when activity_type = 'demo' then 1 end) > 0 as has_demo,
        count(case when activity_type = 'proposal' then 1 end) > 0 as has_proposal
    from item_activities
    group by 1, 2
),

account_activity as (
    select
        user_id,
        account_id,
        count(*) as account_activities
    from activities
    where
        account_id is not null
        and activity_date > cast(
            {{ dbt.dateadd('day', -var('rep_workspace_account_window_days'), as_of_date()) }} as date
        )
    group by 1, 2
),

items as (
    select
        reps.user_id,
        reps.role,
        reps.team,
        open_items.item_type,
        open_items.item_id,
        open_items.account_id,
        open_items.stage,
        open_items.amount_usd,
        open_items.created_date,
        open_items.expected_close_date,
        open_items.is_answered,
        open_items.rep_next_step,
        coalesce(item_activity_summary.item_activities, 0) as item_activities,
        item_activity_summary.last_activity_date,
        coalesce(item_activity_summary.has_demo, false) as has_demo,
        coalesce(item_activity_summary.has_proposal, false) as has_proposal,
        case
            when open_items.account_id is not null then coalesce(account_activity.account_activities, 0)
        end as account_activities,
        {{ dbt.datediff('item_activity_summary.last_activity_date', as_of_date(), 'day') }}
            as days_since_last_activity,
        {{ dbt.datediff('open_items.created_date', as_of_date(), 'day') }}
            as age_days,
        {{ as_of_date() }} as as_of_date
    from reps
    inner join open_items
        on reps.user_id = open_items.user_id
    left join item_activity_summary
        on
            open_items.item_type = item_activity_summary.item_type
            and open_items.item_id = item_activity_summary.item_id
    left join account_activity
        on
            open_items.user_id = account_activity.user_id
            and open_items.account_id = account_activity.account_id
),

ranked_accounts as (
    select
        *,
        max(account_activities) over (partition by user_id) as rep_max_account_activities,
        min(account_activities) over (partition by user_id) as rep_min_account_activities
    from items
),

ruled as (
    select
        *,
        case
            when
                item_type = 'opportunity'
                and (expected_close_date is null or expected_close_date < as_of_date)
                then 'update_close_date'
            when item_type = 'lead' and not is_answered and item_activities = 0 then 'first_contact'
            when
                last_activity_date is null
                or days_since_last_activity > {{ var('rep_workspace_follow_up_days') }}
                then 'follow_up'
            when item_type = 'opportunity' and has_demo and not has_proposal then 'send_proposal'
            when
                item_type = 'opportunity'
                and not has_demo
                and not has_proposal
                and age_days >= {{ var('rep_workspace_demo_after_days') }}
                then 'book_demo'
            else 'on_track'
        end as next_step_rule
    from ranked_accounts
),

final as (
    select
        as_of_date,
        user_id,
        role,
        team,
        item_type,
        item_id,
        account_id,
        stage,
        amount_usd,
        created_date,
        cast(age_days as integer) as age_days,
        expected_close_date,
        coalesce(expected_close_date < as_of_date, false) as is_close_date_overdue,
        cast(
            case
                when expected_close_date < as_of_date
                    then {{ dbt.datediff('expected_close_date', 'as_of_date', 'day') }}
            end as integer
        ) as days_overdue,
        cast(item_activities as bigint) as item_activities,
        last_activity_date,
        cast(days_since_last_activity as integer) as days_since_last_activity,
        has_demo,
        has_proposal,
        cast(account_activities as bigint) as account_activities,
        case
            when account_id is not null then account_activities = rep_max_account_activities
        end as is_most_active_account,
        case
            when account_id is not null then account_activities = rep_min_account_activities
        end as is_least_active_account,
        next_step_rule,
        cast(
            case next_step_rule
                when 'update_close_date' then 'Close date passed or missing: update the close date'
                when 'first_contact' then 'Never answered: make the first contact'
                when 'follow_up' then 'No activity in {{ var("rep_workspace_follow_up_days") }} days: follow up'
                when 'send_proposal' then 'Demo done, no proposal yet: send the proposal'
                when 'book_demo' then 'No demo yet: book a demo'
                else 'On track: keep to the agreed next step'
            end as varchar
        ) as next_step,
        cast(
            case next_step_rule
                when 'update_close_date' then 1
                when 'first_contact' then 2
                when 'follow_up' then 3
                when 'send_proposal' then 4
                when 'book_demo' then 5
                else 6
            end as integer
        ) as next_step_priority,
        rep_next_step
    from ruled
)

select * from final
