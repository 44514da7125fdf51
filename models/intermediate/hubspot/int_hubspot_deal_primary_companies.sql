{#- One company per deal (a deal with several companies is not fanned out): among the deal's deal_company links
    to companies that are not deleted, the primary association first (HubSpot association type_id 5, "deal to
    company, primary"), then the lowest company id (numeric when it is a number, else as text). A link to a
    company missing from the company table is kept (the door flags the unknown account). -#}
with

links as (
    select * from {{ ref('stg_hubspot__deal_company') }}
),

deleted_companies as (
    select company_id from {{ ref('stg_hubspot__company') }}
    where is_deleted
),

ranked as (
    select
        links.deal_id,
        links.company_id,
        count(*) over (partition by links.deal_id) as company_count,
        row_number() over (
            partition by links.deal_id
            order by
                case when links.type_id = '5' then 0 else 1 end,
                try_cast(links.company_id as hugeint) nulls last,
                links.company_id
        ) as pick
    from links
    where links.company_id not in (select deleted_companies.company_id from deleted_companies)
),

final as (
    select
        deal_id,
        company_id,
        company_count
    from ranked
    where pick = 1
)

select * from final
