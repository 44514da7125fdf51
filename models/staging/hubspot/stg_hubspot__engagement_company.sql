with

source_links as (
    select * from {{ crm_source_read('hubspot', 'engagement_company') }}
),

final as (
    select
        trim(engagement_id) as engagement_id,
        trim(company_id) as company_id
    from source_links
)

select * from final
