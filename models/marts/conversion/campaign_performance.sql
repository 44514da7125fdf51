{#- Campaign performance per campaign and month: responses, web page views, leads and referrals, won deals and
    the revenue attributed to the campaign, new customers, spend, ROI and the campaign's email list growth.
    Revenue attribution (single touch, each won deal to at most one campaign): the opportunity's own campaign_id,
    else the campaign of the lead it came from; booked in the month of close_date. A won deal without amount counts
    in won_deals, not in attributed_revenue_usd (won_deals_missing_amount). -#}
with campaigns as (
    select * from {{ ref('dim_campaigns') }}
),

engagement_events as (
    select * from {{ ref('fct_engagement_events') }}
),

leads as (
    select * from {{ ref('int_leads_enriched') }}
),

opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

acquisition_costs as (
    select * from {{ ref('int_acquisition_costs_monthly') }}
    where attribution_level = 'campaign'
),

email_list as (
    select * from {{ ref('int_email_list_months_sized') }}
),

campaign_engagement as (
    select
        campaign_id,
        cast({{ dbt.date_trunc('month', 'event_date') }} as date) as month_start,
        count(
            case when event_type in ('form_submit', 'email_click', 'event_attended', 'webinar_attended') then 1 end
        ) as responses,
        count(case when event_type = 'form_submit' then 1 end) as form_submissions,
        count(case when event_type = 'email_click' then 1 end) as email_clicks,
        count(case when event_type in ('event_attended', 'webinar_attended') then 1 end) as event_attendances,
        count(case when event_type = 'web_visit' then 1 end) as web_page_views,
        count(case when event_type = 'email_sent' then 1 end) as emails_sent,
        count(case when event_type = 'list_subscribe' then 1 end) as list_subscribes,
        count(case when event_type = 'list_unsubscribe' then 1 end) as list_unsubscribes
    from engagement_events
    where campaign_id is not null
    group by 1, 2
),

campaign_leads as (
    select
        campaign_id,
        created_month as month_start,
        count(*) as leads,
        count(case when source = 'referral' then 1 end) as referrals
    from leads
    where campaign_id is not null
    group by 1, 2
),

attributed_deals as (
    select
        coalesce(opportunities.campaign_id, leads.campaign_id) as campaign_id,
        cast({{ dbt.date_trunc('month', 'opportunities.close_date') }} as date) as month_start,
        opportunities.opportunity_id,
        opportunities.amount_usd
    from opportunities
    left join leads
        on opportunities.lead_id = leads.lead_id
    where opportunities.is_won
),

campaign_revenue as (
    select
        campaign_id,
        month_start,
        count(*) as won_deals,
        sum(amount_usd) as attributed_revenue_usd,
        {{ missing_amount_count() }} as won_deals_missing_amount
    from attributed_deals
    where campaign_id is not null
    group by 1, 2
),

campaign_costs as (
    select
        campaign_id,
        month_start,
        sum(acquisition_spend_usd) as spend_usd,
        sum(new_customers) as new_customers
    from acquisition_costs
    group by 1, 2
),

campaign_months as (
    select
        campaign_id,
        month_start
    from campaign_engagement
    union
    select
        campaign_id,
        month_start
    from campaign_leads
    union
    select
        campaign_id,
        month_start
    from campaign_revenue
    union
    select
        campaign_id,
        month_start
    from campaign_costs
),

final as (
    select
        campaign_months.campaign_id,
        campaign_months.month_start,
        campaigns.campaign_name,
        campaigns.channel,
        coalesce(campaign_engagement.responses, 0) as responses,
        coalesce(campaign_engagement.form_submissions, 0) as form_submissions,
        coalesce(campaign_engagement.email_clicks, 0) as email_clicks,
        coalesce(campaign_engagement.event_attendances, 0) as event_attendances,
        coalesce(campaign_engagement.web_page_views, 0) as web_page_views,
        coalesce(campaign_engagement.emails_sent, 0) as emails_sent,
        coalesce(campaign_leads.leads, 0) as leads,
        coalesce(campaign_leads.referrals, 0) as referrals,
        coalesce(campaign_revenue.won_deals, 0) as won_deals,
        cast(coalesce(campaign_revenue.attributed_revenue_usd, 0) as decimal(18, 2)) as attributed_revenue_usd,
        cast(coalesce(campaign_revenue.won_deals_missing_amount, 0) as bigint) as won_deals_missing_amount,
        cast(coalesce(campaign_costs.new_customers, 0) as bigint) as new_customers,
        cast(coalesce(campaign_costs.spend_usd, 0) as double) as spend_usd,
        {{ safe_divide(
            'coalesce(campaign_revenue.attributed_revenue_usd, 0) - campaign_costs.spend_usd',
            'campaign_costs.spend_usd'
        ) }} as roi,
        coalesce(campaign_engagement.list_subscribes, 0) as list_subscribes,
        coalesce(campaign_engagement.list_unsubscribes, 0) as list_unsubscribes,
        email_list.list_size_at_start,
        {{ safe_divide(
            'coalesce(campaign_engagement.list_subscribes, 0) - coalesce(campaign_engagement.list_unsubscribes, 0)',
            'email_list.list_size_at_start'
        ) }} as email_list_growth_rate
    from campaign_months
    left join campaigns
        on campaign_months.campaign_id = campaigns.campaign_id
    left join campaign_engagement
        on
            campaign_months.campaign_id = campaign_engagement.campaign_id
            and campaign_months.month_start = campaign_engagement.month_start
    left join campaign_leads
        on
            campaign_months.campaign_id = campaign_leads.campaign_id
            and campaign_months.month_start = campaign_leads.month_start
    left join campaign_revenue
        on
            campaign_months.campaign_id = campaign_revenue.campaign_id
            and campaign_months.month_start = campaign_revenue.month_start
    left join campaign_costs
        on
            campaign_months.campaign_id = campaign_costs.campaign_id
            and campaign_months.month_start = campaign_costs.month_start
    left join email_list
        on campaign_months.month_start = email_list.month_start
)

select * from final
