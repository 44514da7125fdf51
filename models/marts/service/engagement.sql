{#- Marketing engagement per customer account and month (accounts with at least one event in the month).
    Events of prospects (lead_id only, no account) belong to the lead funnel, not here. -#}
with engagement_events as (
    select * from {{ ref('fct_engagement_events') }}
),

contacts as (
    select * from {{ ref('dim_contacts') }}
),

account_events as (
    select
        account_id,
        contact_id,
        event_type,
        cast({{ dbt.date_trunc('month', 'event_date') }} as date) as month_start
    from engagement_events
    where account_id is not null
),

monthly_events as (
    select
        account_id,
        month_start,
        sum(case when event_type = 'email_sent' then 1 else 0 end) as emails_sent,
        sum(case when event_type = 'email_open' then 1 else 0 end) as email_opens,
        sum(case when event_type = 'email_click' then 1 else 0 end) as email_clicks,
        sum(case when event_type = 'web_visit' then 1 else 0 end) as web_visits,
        sum(case when event_type = 'form_submit' then 1 else 0 end) as form_submits,
        sum(case when event_type = 'event_attended' then 1 else 0 end) as events_attended,
        sum(case when event_type = 'webinar_attended' then 1 else 0 end) as webinars_attended,
        sum(case when event_type = 'social_engagement' then 1 else 0 end) as social_engagements,
        sum(case when {{ is_engagement_action('event_type') }} then 1 else 0 end) as engagement_actions,
        count(distinct case
            when {{ is_engagement_action('event_type') }} then contact_id
        end) as engaged_contacts
    from account_events
    group by 1, 2
),

-- per contact and month: emailed, and whether that contact opened / clicked (rates stay within 0..1)
contact_email_months as (
    select
        account_id,
        month_start,
        contact_id,
        max(case when event_type = 'email_sent' then 1 else 0 end) as was_emailed,
        max(case when event_type = 'email_open' then 1 else 0 end) as has_opened,
        max(case when event_type = 'email_click' then 1 else 0 end) as has_clicked
    from account_events
    where contact_id is not null
    group by 1, 2, 3
),

email_reach as (
    select
        account_id,
        month_start,
        sum(was_emailed) as emailed_contacts,
        sum(was_emailed * has_opened) as opening_contacts,
        sum(was_emailed * has_clicked) as clicking_contacts
    from contact_email_months
    group by 1, 2
),

-- contacts on file by the end of the month
contacts_on_file as (
    select
        monthly_events.account_id,
        monthly_events.month_start,
        count(contacts.contact_id) as contacts
    from monthly_events
    left join contacts
        on
            monthly_events.account_id = contacts.account_id
            and contacts.created_at < cast({{ dbt.dateadd('month', 1, 'monthly_events.month_start') }} as timestamp)
    group by 1, 2
),

final as (
    select
        monthly_events.account_id,
        monthly_events.month_start,
        cast(monthly_events.emails_sent as bigint) as emails_sent,
        cast(monthly_events.email_opens as bigint) as email_opens,
        cast(monthly_events.email_clicks as bigint) as email_clicks,
        cast(coalesce(email_reach.emailed_contacts, 0) as bigint) as emailed_contacts,
        cast(coalesce(email_reach.opening_contacts, 0) as bigint) as opening_contacts,
        cast(coalesce(email_reach.clicking_contacts, 0) as bigint) as clicking_contacts,
        {{ safe_divide('email_reach.opening_contacts', 'email_reach.emailed_contacts') }} as email_open_rate,
        {{ safe_divide('email_reach.clicking_contacts', 'email_reach.emailed_contacts') }} as email_click_rate,
        cast(monthly_events.web_visits as bigint) as web_visits,
        cast(monthly_events.form_submits as bigint) as form_submits,
        cast(monthly_events.events_attended as bigint) as events_attended,
        cast(monthly_events.webinars_attended as bigint) as webinars_attended,
        cast(monthly_events.social_engagements as bigint) as social_engagements,
        cast(monthly_events.engagement_actions as bigint) as engagement_actions,
        cast(monthly_events.engaged_contacts as bigint) as engaged_contacts,
        cast(contacts_on_file.contacts as bigint) as contacts,
        {{ safe_divide('monthly_events.engaged_contacts', 'contacts_on_file.contacts') }}
            as engagement_rate_per_contact,
        {{ safe_divide('monthly_events.engagement_actions', 'contacts_on_file.contacts') }}
            as engagement_actions_per_contact
    from monthly_events
    inner join contacts_on_file
        on
            monthly_events.account_id = contacts_on_file.account_id
            and monthly_events.month_start = contacts_on_file.month_start
    left join email_reach
        on
            monthly_events.account_id = email_reach.account_id
            and monthly_events.month_start = email_reach.month_start
)

select * from final
