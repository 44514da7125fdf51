with

base_leads as (
    select * from {{ ref('base_crm__leads') }}
),

latest_versions as (
    -- One row per lead_id: exact duplicates collapsed, superseded versions left to quarantine.
    select * from base_leads
    where _dup_rank = 1 and _key_rank = 1
),

final as (
    select
        lead_id,
        full_name_hash,
        email_hash,
        company_name,
        source,
        campaign_id,
        owner_user_id,
        status,
        created_by_user_id,
        created_at,
        first_response_at,
        qualified_at,
        converted_at,
        converted_account_id,
        converted_opportunity_id,
        updated_at,
        _row_number,
        _invalid_columns,
        _invalid_values
    from latest_versions
)

select * from final
