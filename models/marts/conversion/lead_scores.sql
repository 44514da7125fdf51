{#- Lead engagement score per lead (formula, weights and scoring point: int_leads_scored). -#}
with scored_leads as (
    select * from {{ ref('int_leads_scored') }}
),

final as (
    select
        lead_id,
        source,
        campaign_id,
        owner_user_id,
        status,
        created_at,
        scored_at,
        web_visits,
        form_submissions,
        event_attendances,
        email_clicks,
        social_engagements,
        last_engaged_at,
        days_since_last_engagement,
        engagement_score,
        score_band,
        score_band_order,
        is_qualified,
        is_converted,
        is_paying_conversion
    from scored_leads
)

select * from final
