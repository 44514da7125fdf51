{#- HubSpot companies in the contract's accounts shape (every value text). Excluded: is_deleted rows (counted in
    int_hubspot_rows_accounted). Industry: HubSpot's industry property lower-cased (the door flags values outside
    the contract's list). employee_count and owner: numberofemployees and hubspot_owner_id (optional columns,
    null when the export lacks them); region, tier: no standard HubSpot company property (null).
    created_at: property_createdate; updated_at: the last Fivetran sync. -#}
with

companies as (
    select * from {{ ref('stg_hubspot__company') }}
    where not is_deleted
),

final as (
    select
        cast(company_id as varchar) as account_id,
        cast(company_name as varchar) as account_name,
        cast(lower(industry) as varchar) as industry,
        cast(employee_count as varchar) as employee_count,
        cast(annual_revenue as varchar) as annual_revenue,
        cast(null as varchar) as region,
        cast(country as varchar) as country,
        cast(null as varchar) as tier,
        cast(owner_id as varchar) as owner_user_id,
        cast(null as varchar) as created_by_user_id,
        cast({{ crm_source_timestamp_text('created_at') }} as varchar) as created_at,
        cast({{ crm_source_timestamp_text('coalesce(fivetran_synced, created_at)') }} as varchar) as updated_at
    from companies
)

select * from final
