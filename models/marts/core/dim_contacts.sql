-- One row per valid contact. Personal data only as keyed hashes (from staging). Plus one inferred member per
-- contact key that kept rows reference but no valid contact has (macro inferred_member_keys): no account,
-- title and preferred channel 'unknown'.
with contacts as (
    select * from {{ ref('int_contacts_validated') }}
    where is_valid
),

inferred_contact_keys as (
    {{ inferred_member_keys('contacts', 'contact_id') }}
),

final as (
    select
        contact_id,
        account_id,
        email_hash,
        phone_hash,
        title,
        is_decision_maker,
        preferred_channel,
        created_at,
        false as is_inferred_member
    from contacts
    union all
    select
        contact_id,
        cast(null as {{ dbt.type_string() }}) as account_id,
        cast(null as {{ dbt.type_string() }}) as email_hash,
        cast(null as {{ dbt.type_string() }}) as phone_hash,
        'unknown' as title,
        cast(null as boolean) as is_decision_maker,
        'unknown' as preferred_channel,
        cast(null as {{ dbt.type_timestamp() }}) as created_at,
        true as is_inferred_member
    from inferred_contact_keys
)

select * from final
