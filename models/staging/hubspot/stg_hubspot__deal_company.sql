with

source_deal_company as (
    select * from {{ crm_source_read('hubspot', 'deal_company') }}
),

final as (
    select
        trim(deal_id) as deal_id,
        trim(company_id) as company_id,
        nullif(trim(type_id), '') as type_id
    from source_deal_company
)

select * from final
