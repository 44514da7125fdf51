with

source_links as (
    select * from {{ crm_source_read('hubspot', 'ticket_company') }}
),

final as (
    select
        trim(ticket_id) as ticket_id,
        trim(company_id) as company_id
    from source_links
)

select * from final
