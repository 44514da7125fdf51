with

source_owner as (
    select * from {{ crm_source_read('hubspot', 'owner') }}
),

final as (
    select
        trim(owner_id) as owner_id,
        nullif(trim(email), '') as email,
        nullif(trim(concat_ws(' ', nullif(trim(first_name), ''), nullif(trim(last_name), ''))), '') as full_name,
        nullif(trim(created_at), '') as created_at,
        nullif(trim(updated_at), '') as updated_at
    from source_owner
)

select * from final
