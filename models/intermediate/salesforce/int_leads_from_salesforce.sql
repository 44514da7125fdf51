{#- Salesforce leads in the contract's leads shape (every value text). Excluded: is_deleted rows (counted).
    source / status through the picklist map (a converted lead is 'converted' first); unmapped labels lower-cased
    for the door to flag. first_response_at / qualified_at: no standard field (null). -#}
with

leads as (

    select * from {{ ref('stg_salesforce__lead') }}
    where not is_deleted

),

final as (

    select
        cast(lead_id as varchar) as lead_id,
        cast(nullif(concat_ws(' ', first_name, last_name), '') as varchar) as full_name,
        cast(email as varchar) as email,
        cast(company as varchar) as company_name,
        cast(coalesce({{ salesforce_picklist('lead_source', 'lead_source') }}, lower(lead_source)) as varchar)
            as source,  -- noqa: RF04
        cast(null as varchar) as campaign_id,
        cast(owner_id as varchar) as owner_user_id,
        cast(case
            when is_converted then 'converted'
            else coalesce({{ salesforce_picklist('lead_status', 'status') }}, lower(status))
        end as varchar) as status,  -- noqa: RF04
        cast(created_by_id as varchar) as created_by_user_id,
        cast({{ crm_source_timestamp_text('created_date') }} as varchar) as created_at,
        cast(null as varchar) as first_response_at,
        cast(null as varchar) as qualified_at,
        cast({{ crm_source_timestamp_text('converted_date') }} as varchar) as converted_at,
        cast(converted_account_id as varchar) as converted_account_id,
        cast(converted_opportunity_id as varchar) as converted_opportunity_id,
        cast({{ crm_source_timestamp_text('coalesce(last_modified_date, created_date)') }} as varchar) as updated_at
    from leads

)

select * from final
