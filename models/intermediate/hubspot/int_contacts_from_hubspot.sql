{#- HubSpot contacts in the contract's contacts shape (every value text). Excluded: _fivetran_deleted rows
    (counted in int_hubspot_rows_accounted). account_id: the contact's primary company, property
    associatedcompanyid (an optional column: an export without it has only the free-text company name, so null,
    and the door quarantines the contact, account_id being required); phone (optional column too).
    is_decision_maker, preferred_channel, created_by_user_id: not in the export (null). updated_at: the last
    Fivetran sync. -#}
with

contacts as (
    select * from {{ ref('stg_hubspot__contact') }}
    where not is_deleted
),

final as (
    select
        cast(contact_id as varchar) as contact_id,
        cast(company_id as varchar) as account_id,
        cast(first_name as varchar) as first_name,
        cast(last_name as varchar) as last_name,
        cast(email as varchar) as email,
        cast(phone as varchar) as phone,
        cast(title as varchar) as title,
        cast(null as varchar) as is_decision_maker,
        cast(null as varchar) as preferred_channel,
        cast(null as varchar) as created_by_user_id,
        cast({{ crm_source_timestamp_text('created_at') }} as varchar) as created_at,
        cast({{ crm_source_timestamp_text('coalesce(fivetran_synced, created_at)') }} as varchar) as updated_at
    from contacts
)

select * from final
