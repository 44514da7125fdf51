{#- One row per lead (fct_leads) with the outcome flags every conversion mart shares: the rep's team, whether an
    opportunity of the lead was won, and whether the lead became a paying customer. Defined once here so the lead
    funnel, the lead-to-won funnel, the score calibration and campaign performance count the same things. -#}

with leads as (
    select * from {{ ref('fct_leads') }}
),

opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

accounts as (
    select * from {{ ref('dim_accounts') }}
),

users as (
    select * from {{ ref('dim_users') }}
),

lead_opportunities as (
    -- an opportunity belongs to a lead through its lead_id or as the lead's converted opportunity
    select
        leads.lead_id,
        opportunities.opportunity_id,
        opportunities.is_won,
        opportunities.amount_usd
    from leads
    inner join opportunities
        on
            leads.lead_id = opportunities.lead_id
            or leads.converted_opportunity_id = opportunities.opportunity_id
),

won_by_lead as (
    select
        lead_id,
        count(*) as won_opportunities,
        sum(amount_usd) as won_amount_usd
    from lead_opportunities
    where is_won
    group by 1
),

final as (
    select
        leads.lead_id,
        leads.source,
        leads.campaign_id,
        leads.campaign_channel,
        leads.owner_user_id,
        users.team as owner_team,
        leads.status,
        leads.created_at,
        cast({{ dbt.date_trunc('month', 'leads.created_at') }} as date) as created_month,
        leads.first_response_at,
        leads.qualified_at,
        leads.converted_at,
        leads.converted_account_id,
        leads.converted_opportunity_id,
        leads.response_hours,
        leads.responded_within_sla,
        coalesce(leads.is_qualified, false) as is_qualified,
        coalesce(leads.is_converted, false) as is_converted,
        coalesce(won_by_lead.won_opportunities, 0) > 0 as has_won_opportunity,
        coalesce(won_by_lead.won_opportunities, 0) as won_opportunities,
        cast(coalesce(won_by_lead.won_amount_usd, 0) as decimal(18, 2)) as won_amount_usd,
        coalesce(leads.is_converted and accounts.is_customer, false) as is_paying_conversion
    from leads
    left join users
        on leads.owner_user_id = users.user_id
    left join won_by_lead
        on leads.lead_id = won_by_lead.lead_id
    left join accounts
        on leads.converted_account_id = accounts.account_id
)

select * from final
