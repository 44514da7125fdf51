{#- HubSpot tickets in the contract's tickets shape (every value text). Excluded: is_deleted rows (counted in
    int_hubspot_rows_accounted). Status from the ticket's pipeline stage (stage ids are unique per pipeline only,
    so joined on both): a closed stage (is_closed or ticket_state CLOSED) -> closed, a label "waiting on
    contact" -> pending, any other known stage -> open; an unknown stage leaves status null (the door flags it).
    Category: HubSpot's default categories (billing_issue -> billing, product_issue -> technical,
    feature_request, general_inquiry -> how_to), else lower-cased (flagged). Priority lower-cased. Account: the
    lowest company id (as text) of ticket_company (no fan-out). Channel: source_type (an optional column; EMAIL,
    CHAT, PHONE as such, FORM -> web, others lower-cased and flagged; null and flagged when the export lacks it).
    A closed stage labelled "Resolved" -> resolved. -#}
with

tickets as (
    select * from {{ ref('stg_hubspot__ticket') }}
    where not is_deleted
),

stages as (
    select
        pipeline_id,
        stage_id,
        min(stage_label) as stage_label,
        bool_or(is_closed) as is_closed
    from {{ ref('stg_hubspot__ticket_pipeline_stage') }}
    where not is_deleted
    group by 1, 2
),

companies as (
    select
        ticket_id,
        min(company_id) as company_id
    from {{ ref('stg_hubspot__ticket_company') }}
    group by 1
),

mapped as (
    select
        tickets.*,
        companies.company_id,
        case
            when stages.is_closed and lower(stages.stage_label) = 'resolved' then 'resolved'
            when stages.is_closed then 'closed'
            when lower(stages.stage_label) = 'waiting on contact' then 'pending'
            when stages.stage_id is not null then 'open'
        end as status,
        case lower(tickets.category)
            when 'billing_issue' then 'billing'
            when 'product_issue' then 'technical'
            when 'feature_request' then 'feature_request'
            when 'general_inquiry' then 'how_to'
            else lower(tickets.category)
        end as contract_category,
        case tickets.source_type when 'FORM' then 'web' else lower(tickets.source_type) end as channel
    from tickets
    left join companies on tickets.ticket_id = companies.ticket_id
    left join stages
        on tickets.pipeline_id = stages.pipeline_id and tickets.stage_id = stages.stage_id
),

final as (
    select
        cast(ticket_id as varchar) as ticket_id,
        cast(company_id as varchar) as account_id,
        cast(null as varchar) as contact_id,
        cast(owner_id as varchar) as assigned_user_id,
        cast(channel as varchar) as channel,
        cast(lower(priority) as varchar) as priority,
        cast(contract_category as varchar) as category,
        cast(subject as varchar) as subject,
        cast(ticket_content as varchar) as description,  -- noqa: RF04
        cast(status as varchar) as status,  -- noqa: RF04
        cast({{ crm_source_timestamp_text('created_at') }} as varchar) as opened_at,
        cast({{ crm_source_timestamp_text('first_agent_reply_at') }} as varchar) as first_response_at,
        cast({{ crm_source_timestamp_text('closed_at') }} as varchar) as resolved_at,
        cast(null as varchar) as escalated_at,
        cast(null as varchar) as interactions_count,
        cast(null as varchar) as sla_first_response_hours,
        cast(null as varchar) as sla_resolution_hours,
        cast({{ crm_source_timestamp_text('coalesce(fivetran_synced, created_at)') }} as varchar) as updated_at
    from mapped
)

select * from final
