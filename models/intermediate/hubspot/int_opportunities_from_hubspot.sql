{#- HubSpot deals in the contract's opportunities shape (every value text). Excluded: deleted deals and deals
    merged into another (merged_deal), counted in int_hubspot_rows_accounted. Stage: int_hubspot_deal_stages_mapped.
    Account: the deal's one primary company (int_hubspot_deal_primary_companies: association type 5 first, then
    the lowest company id; no fan-out). Currency: var hubspot_currency (HubSpot's single-currency portals carry
    none on the deal). -#}
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
        'new' as opportunity_type,
        cast(null as varchar) as product_id,
        cast(amount as varchar) as amount,
        '{{ var("hubspot_currency", "USD") }}' as currency,
        cast(stage as varchar) as stage,  -- noqa: RF04
        cast(cast(stage_probability as double) * 100 as varchar) as probability,
        cast(coalesce(is_closed, false) as varchar) as is_closed,
        cast(coalesce(is_won, false) as varchar) as is_won,
        cast(null as varchar) as loss_reason,
        cast(null as varchar) as next_step,
        cast(cast(close_date as date) as varchar) as close_date,
        cast(null as varchar) as created_by_user_id,
        strftime(cast(created_at as timestamp), '%Y-%m-%dT%H:%M:%SZ') as created_at,
        strftime(cast(created_at as timestamp), '%Y-%m-%dT%H:%M:%SZ') as updated_at
    from deals_staged
)

select * from final
