with

source as (

    select * from {{ crm_source_read('salesforce', 'event') }}

),

final as (

    select
        trim(id) as event_id,
        nullif(trim(owner_id), '') as owner_id,
        nullif(trim(who_id), '') as who_id,
        nullif(trim(what_id), '') as what_id,
        nullif(trim(account_id), '') as account_id,
        nullif(trim(type), '') as event_type,
        nullif(trim(start_date_time), '') as start_date_time,
        nullif(trim(activity_date_time), '') as activity_date_time,
        nullif(trim(duration_in_minutes), '') as duration_in_minutes,
        coalesce(lower(trim(is_deleted)) = 'true', false) as is_deleted
    from source

)

select * from final
