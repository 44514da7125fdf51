{#- Lead engagement score, one row per lead: weighted recency and frequency of the lead's web visits, form
    submissions, event and webinar attendance, email clicks and social engagement.
      score = least(100, sum over the lead's events of weight(event_type) * 0.5 ^ (age_days / half_life_days))
    weights: var lead_score_weights; half-life: var lead_score_half_life_days; bands: vars lead_score_warm_min and
    lead_score_hot_min. The score is taken as it stood when the lead qualified (or converted), only counting
    events up to then, so it measures engagement BEFORE the sales outcome; open leads are scored as of the end of
    var as_of_date. Event types without a weight (email sent/open, list changes) do not score. -#}
{%- set weights = var('lead_score_weights') -%}

with leads as (
    select * from {{ ref('int_leads_enriched') }}
),

engagement_events as (
    select * from {{ ref('fct_engagement_events') }}
),

scoring_points as (
    select
        lead_id,
        coalesce(
            qualified_at,
            converted_at,
            cast({{ dbt.dateadd('day', 1, as_of_date()) }} as {{ dbt.type_timestamp() }})
        ) as scored_at
    from leads
),

scored_events as (
    select
        engagement_events.lead_id,
        engagement_events.event_type,
        engagement_events.occurred_at,
        {{ days_between('engagement_events.occurred_at', 'scoring_points.scored_at') }} as age_days,
        case engagement_events.event_type
            {%- for event_type, weight in weights.items() %}
                when '{{ event_type }}' then {{ weight }}
            {%- endfor %}
        end as weight
    from engagement_events
    inner join scoring_points
        on engagement_events.lead_id = scoring_points.lead_id
    where engagement_events.occurred_at <= scoring_points.scored_at
),

lead_engagement as (
    select
        lead_id,
        count(case when event_type = 'web_visit' then 1 end) as web_visits,
        count(case when event_type = 'form_submit' then 1 end) as form_submissions,
        count(case when event_type in ('event_attended', 'webinar_attended') then 1 end) as event_attendances,
        count(case when event_type = 'email_click' then 1 end) as email_clicks,
        count(case when event_type = 'social_engagement' then 1 end) as social_engagements,
        max(occurred_at) as last_engaged_at,
        min(age_days) as days_since_last_engagement,
        sum(weight * power(0.5, age_days / {{ var('lead_score_half_life_days') }})) as raw_score
    from scored_events
    where weight is not null
    group by 1
),

scored as (
    select
        leads.lead_id,
        leads.source,
        leads.campaign_id,
        leads.owner_user_id,
        leads.status,
        leads.created_at,
        leads.is_qualified,
        leads.is_converted,
        leads.is_paying_conversion,
        scoring_points.scored_at,
        coalesce(lead_engagement.web_visits, 0) as web_visits,
        coalesce(lead_engagement.form_submissions, 0) as form_submissions,
        coalesce(lead_engagement.event_attendances, 0) as event_attendances,
        coalesce(lead_engagement.email_clicks, 0) as email_clicks,
        coalesce(lead_engagement.social_engagements, 0) as social_engagements,
        lead_engagement.last_engaged_at,
        lead_engagement.days_since_last_engagement,
        cast(round(least(100.0, coalesce(lead_engagement.raw_score, 0)), 2) as double) as engagement_score
    from leads
    inner join scoring_points
        on leads.lead_id = scoring_points.lead_id
    left join lead_engagement
        on leads.lead_id = lead_engagement.lead_id
),

final as (
    select
        *,
        case
            when engagement_score >= {{ var('lead_score_hot_min') }} then 'hot'
            when engagement_score >= {{ var('lead_score_warm_min') }} then 'warm'
            else 'cold'
        end as score_band,
        case
            when engagement_score >= {{ var('lead_score_hot_min') }} then 3
            when engagement_score >= {{ var('lead_score_warm_min') }} then 2
            else 1
        end as score_band_order
    from scored
)

select * from final
