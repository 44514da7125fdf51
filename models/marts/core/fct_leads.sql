-- One row per valid lead with its lifecycle timestamps, durations and funnel flags.
with leads as (
    select * from {{ ref('int_leads_validated') }}
    where is_valid
),

campaigns as (
    select * from {{ ref('int_campaigns_validated') }}
    where is_valid
),

lifecycle as (
    select
        leads.lead_id,
        -- a lead the extract gave no source (kept, flagged missing_required)
        coalesce(leads.source, 'unknown') as source,  -- noqa: RF04
        leads.campaign_id,
        campaigns.channel as campaign_channel,
        leads.owner_user_id,
        leads.status,
        leads.created_at,
        cast(leads.created_at as date) as created_date,
        leads.first_response_at,
        leads.qualified_at,
        leads.converted_at,
        leads.converted_account_id,
        leads.converted_opportunity_id,
        {{ hours_between('leads.created_at', 'leads.first_response_at') }} as response_hours,
        {{ hours_between('leads.created_at', 'leads.qualified_at') }} as hours_to_qualification,
        {{ days_between('leads.created_at', 'leads.converted_at') }} as days_to_conversion,
        -- a converted lead has passed qualification, whatever its status says: the funnel never narrows upwards
        (
            leads.qualified_at is not null
            or leads.converted_at is not null
            or leads.status in ('qualified', 'converted')
        ) as is_qualified,
        (leads.converted_at is not null or leads.status = 'converted') as is_converted
    from leads
    left join campaigns
        on leads.campaign_id = campaigns.campaign_id
),

final as (
    select
        lead_id,
        source,
        campaign_id,
        campaign_channel,
        owner_user_id,
        status,
        created_at,
        created_date,
        first_response_at,
        qualified_at,
        converted_at,
        converted_account_id,
        converted_opportunity_id,
        response_hours,
        is_qualified,
        is_converted,
        response_hours <= {{ var('lead_response_sla_hours') }} as responded_within_sla,
        hours_to_qualification,
        days_to_conversion
    from lifecycle
)

select * from final
