with

source_links as (
    select * from {{ crm_source_read('hubspot', 'engagement_deal') }}
),

final as (
    select
        trim(engagement_id) as engagement_id,
        trim(deal_id) as deal_id
    from source_links
)

select * from final
