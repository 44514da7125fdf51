with

base_contacts as (
    select * from {{ ref('base_crm__contacts') }}
),

latest_versions as (
    -- One row per contact_id: exact duplicates collapsed, superseded versions left to quarantine.
    select * from base_contacts
    where _dup_rank = 1 and _key_rank = 1
),

final as (
    select
        contact_id,
        account_id,
        first_name_hash,
        last_name_hash,
        email_hash,
        phone_hash,
        title,
        is_decision_maker,
        preferred_channel,
        created_by_user_id,
        created_at,
        updated_at,
        _row_number,
        _invalid_columns,
        _invalid_values
    from latest_versions
)

select * from final
