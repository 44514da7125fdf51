{#- Salesforce accounts in the contract's accounts shape (every value text). Excluded: is_deleted rows (counted).
    Industry through the picklist map (unmapped: lower-cased, flagged by the door). Region and tier: Salesforce
    has no such standard fields (null). created_at / updated_at: the last Fivetran sync (the export carries no
    created_date for accounts). -#}
with

accounts as (

    select * from {{ ref('stg_salesforce__account') }}
    where not is_deleted

),

final as (

    select
        cast(account_id as varchar) as account_id,
        cast(account_name as varchar) as account_name,
        cast(coalesce({{ salesforce_picklist('industry', 'industry') }}, lower(industry)) as varchar) as industry,
        cast(number_of_employees as varchar) as employee_count,
        cast(annual_revenue as varchar) as annual_revenue,
        cast(null as varchar) as region,
        cast(billing_country as varchar) as country,
        cast(null as varchar) as tier,
        cast(owner_id as varchar) as owner_user_id,
        cast(null as varchar) as created_by_user_id,
        cast({{ crm_source_timestamp_text('fivetran_synced') }} as varchar) as created_at,
        cast({{ crm_source_timestamp_text('fivetran_synced') }} as varchar) as updated_at
    from accounts

)

select * from final
