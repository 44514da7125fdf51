{#- HubSpot engagements in the contract's activities shape (every value text), one activity per row of the five
    engagement tables (call, email, meeting, note, task; the engagement id is the activity id). Excluded:
    _fivetran_deleted rows (counted per table in int_hubspot_rows_accounted). activity_type: seed
    hubspot_activity_type_map on the engagement type (a task's task type), else the type lower-cased (note,
    todo: flagged unknown_enum by the door). Links (engagement_deal / _company / _contact): one each, the lowest
    id when an engagement has several (no fan-out); an activity without a company link takes its deal's primary
    company. user_id: the engagement's owner (hubspot_owner_id; an optional column of calls and meetings, which
    the shared sample's schema lacks: null, and the door quarantines the activity, user_id being required). A
    call's or meeting's type is its call and meeting type (hs_activity_type, e.g. demo) when set. -#}
with

engagements as (
    select * from {{ ref('stg_hubspot__engagement_call') }}
    union all
    select * from {{ ref('stg_hubspot__engagement_email') }}
    union all
    select * from {{ ref('stg_hubspot__engagement_meeting') }}
    union all
    select * from {{ ref('stg_hubspot__engagement_note') }}
    union all
    select * from {{ ref('stg_hubspot__engagement_task') }}
),

type_map as (
    select
        lower(trim(hubspot_type)) as hubspot_type,
        activity_type
    from {{ ref('hubspot_activity_type_map') }}
),

deal_links as (
    select
        engagement_id,
        min(deal_id) as deal_id
    from {{ ref('stg_hubspot__engagement_deal') }}
    group by 1
),

company_links as (
    select
        engagement_id,
        min(company_id) as company_id
    from {{ ref('stg_hubspot__engagement_company') }}
    group by 1
),

contact_links as (
    select
        engagement_id,
        min(contact_id) as contact_id
    from {{ ref('stg_hubspot__engagement_contact') }}
    group by 1
),

deal_companies as (
    select * from {{ ref('int_hubspot_deal_primary_companies') }}
),

kept as (
    select
        engagements.engagement_id,
        coalesce(type_map.activity_type, engagements.engagement_type) as activity_type,
        engagements.owner_id,
        coalesce(company_links.company_id, deal_companies.company_id) as account_id,
        contact_links.contact_id,
        deal_links.deal_id,
        engagements.occurred_at,
        engagements.duration_seconds
    from engagements
    left join type_map on engagements.engagement_type = type_map.hubspot_type
    left join deal_links on engagements.engagement_id = deal_links.engagement_id
    left join company_links on engagements.engagement_id = company_links.engagement_id
    left join contact_links on engagements.engagement_id = contact_links.engagement_id
    left join deal_companies on deal_links.deal_id = deal_companies.deal_id
    where not engagements.is_deleted
),

final as (
    select
        cast(engagement_id as varchar) as activity_id,
        cast(activity_type as varchar) as activity_type,
        cast(owner_id as varchar) as user_id,
        cast(account_id as varchar) as account_id,
        cast(contact_id as varchar) as contact_id,
        cast(null as varchar) as lead_id,
        cast(deal_id as varchar) as opportunity_id,
        cast({{ crm_source_timestamp_text('occurred_at') }} as varchar) as occurred_at,
        cast(duration_seconds as varchar) as duration_seconds,
        cast(null as varchar) as is_connected
    from kept
)

select * from final
