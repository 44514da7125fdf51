{#- Salesforce tasks and events in the contract's activities shape (every value text), one activity each.
    Excluded: is_deleted rows (counted per table). activity_type: picklist map on the type (task_type /
    event_type), a task's subtype when its type is empty or unmapped, else the label lower-cased (flagged by the
    door). who_id is a contact (003...) or a lead (00Q...); what_id an opportunity (006...) or account (001...),
    by Salesforce's id key prefixes. -#}
with

tasks as (

    select * from {{ ref('stg_salesforce__task') }}
    where not is_deleted

),

events as (

    select * from {{ ref('stg_salesforce__event') }}
    where not is_deleted

),

task_activities as (

    select
        task_id as activity_id,
        coalesce(
            {{ salesforce_picklist('task_type', 'task_type') }},
            {{ salesforce_picklist('task_subtype', 'task_subtype') }},
            lower(coalesce(task_type, task_subtype))
        ) as activity_type,
        owner_id as user_id,
        coalesce(account_id, case when what_id like '001%' then what_id end) as account_id,
        case when who_id like '003%' then who_id end as contact_id,
        case when who_id like '00Q%' then who_id end as lead_id,
        case when what_id like '006%' then what_id end as opportunity_id,
        coalesce(activity_date, created_date) as occurred_at,
        call_duration_in_seconds as duration_seconds
    from tasks

),

event_activities as (

    select
        event_id as activity_id,
        coalesce({{ salesforce_picklist('event_type', 'event_type') }}, lower(event_type)) as activity_type,
        owner_id as user_id,
        coalesce(account_id, case when what_id like '001%' then what_id end) as account_id,
        case when who_id like '003%' then who_id end as contact_id,
        case when who_id like '00Q%' then who_id end as lead_id,
        case when what_id like '006%' then what_id end as opportunity_id,
        coalesce(start_date_time, activity_date_time) as occurred_at,
        cast(try_cast(duration_in_minutes as double) * 60 as bigint) as duration_seconds
    from events

),

activities as (

    select * from task_activities
    union all
    select * from event_activities

),

final as (

    select
        cast(activity_id as varchar) as activity_id,
        cast(activity_type as varchar) as activity_type,
        cast(user_id as varchar) as user_id,
        cast(account_id as varchar) as account_id,
        cast(contact_id as varchar) as contact_id,
        cast(lead_id as varchar) as lead_id,
        cast(opportunity_id as varchar) as opportunity_id,
        cast({{ crm_source_timestamp_text('occurred_at') }} as varchar) as occurred_at,
        cast(duration_seconds as varchar) as duration_seconds,
        cast(null as varchar) as is_connected
    from activities

)

select * from final
