{#- Salesforce contacts in the contract's contacts shape (every value text). Excluded: is_deleted rows (counted).
    is_decision_maker and preferred_channel: no standard Salesforce field (null). -#}
with

contacts as (

    select * from {{ ref('stg_salesforce__contact') }}
    where not is_deleted

),

final as (

    select
        cast(contact_id as varchar) as contact_id,
        cast(account_id as varchar) as account_id,
        cast(first_name as varchar) as first_name,
        cast(last_name as varchar) as last_name,
        cast(email as varchar) as email,
        cast(phone as varchar) as phone,
        cast(title as varchar) as title,
        cast(null as varchar) as is_decision_maker,
        cast(null as varchar) as preferred_channel,
        cast(created_by_id as varchar) as created_by_user_id,
        cast({{ crm_source_timestamp_text('created_date') }} as varchar) as created_at,
        cast({{ crm_source_timestamp_text('coalesce(last_modified_date, created_date)') }} as varchar) as updated_at
    from contacts

)

select * from final
