{#- HubSpot deals in the contract's opportunities shape (every value text). Excluded: deleted deals and deals
    merged into another (merged_deal), counted in int_hubspot_rows_accounted. Stage: int_hubspot_deal_stages_mapped.
    Account: the deal's one primary company (int_hubspot_deal_primary_companies: association type 5 first, then
    the lowest company id; no fan-out). Currency: the deal's deal_currency_code (multi-currency portals), else var
    hubspot_currency (single-currency portals carry none on the deal). Type: dealtype, newbusiness (or none) ->
    new, existingbusiness -> upsell, a portal's own option as written (renewal, cross_sell). loss_reason (closed_lost_reason
    lower-cased), next_step (hs_next_step) and updated_at (hs_lastmodifieddate, else created_at) come from optional
    columns, null when the export lacks them. -#}
with

deals as (
    select * from {{ ref('stg_hubspot__deal') }}
    where not is_deleted and not is_merged
),

stages as (
    select * from {{ ref('int_hubspot_deal_stages_mapped') }}
),

primary_companies as (
    select * from {{ ref('int_hubspot_deal_primary_companies') }}
),

deals_staged as (
    select
        deals.*,
        stages.stage_label,
        stages.probability as stage_probability,
        stages.is_closed,
        stages.is_won,
        stages.contract_stage as stage,  -- noqa: RF04
        primary_companies.company_id
    from deals
    left join stages on deals.deal_pipeline_stage_id = stages.stage_id
    left join primary_companies on deals.deal_id = primary_companies.deal_id
),

final as (
    select
        cast(deal_id as varchar) as opportunity_id,
        cast(company_id as varchar) as account_id,
        cast(owner_id as varchar) as owner_user_id,
        cast(null as varchar) as lead_id,
        cast(null as varchar) as campaign_id,
        cast(
            case coalesce(deal_type, 'newbusiness')
                when 'newbusiness' then 'new'
                when 'existingbusiness' then 'upsell'
                else deal_type
            end as varchar
        ) as opportunity_type,
        cast(null as varchar) as product_id,
        cast(amount as varchar) as amount,
        cast(coalesce(currency, '{{ var("hubspot_currency", "USD") }}') as varchar) as currency,
        cast(stage as varchar) as stage,  -- noqa: RF04
        cast(cast(stage_probability as double) * 100 as varchar) as probability,
        cast(coalesce(is_closed, false) as varchar) as is_closed,
        cast(coalesce(is_won, false) as varchar) as is_won,
        cast(loss_reason as varchar) as loss_reason,
        cast(next_step as varchar) as next_step,
        cast(cast(close_date as date) as varchar) as close_date,
        cast(null as varchar) as created_by_user_id,
        strftime(cast(created_at as timestamp), '%Y-%m-%dT%H:%M:%SZ') as created_at,
        strftime(cast(coalesce(updated_at, created_at) as timestamp), '%Y-%m-%dT%H:%M:%SZ') as updated_at
    from deals_staged
)

select * from final
