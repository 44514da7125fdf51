with

source_links as (
    select * from {{ crm_source_read('hubspot', 'engagement_contact') }}
),

final as (
    select
        trim(engagement_id) as engagement_id,
        trim(contact_id) as contact_id
    from source_links
)

select * from final
