with

source as (

    select * from {{ crm_source_read('salesforce', 'task') }}

),

final as (

    select
        trim(id) as task_id,
        nullif(trim(owner_id), '') as owner_id,
        nullif(trim(who_id), '') as who_id,
        nullif(trim(what_id), '') as what_id,
        nullif(trim(account_id), '') as account_id,
        nullif(trim(type), '') as task_type,
        nullif(trim(task_subtype), '') as task_subtype,
        nullif(trim(activity_date), '') as activity_date,
        nullif(trim(created_date), '') as created_date,
        nullif(trim(call_duration_in_seconds), '') as call_duration_in_seconds,
        coalesce(lower(trim(is_deleted)) = 'true', false) as is_deleted
    from source

)

select * from final
