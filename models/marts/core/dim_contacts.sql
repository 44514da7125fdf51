-- One row per valid contact. Personal data only as sha256 hashes (from staging).
with contacts as (
    select * from {{ ref('int_contacts_validated') }}
    where is_valid
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
        created_at
    from contacts
)

select * from final
