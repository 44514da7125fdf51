{#- HubSpot deal_stage in the contract's opportunity_stage_history shape (every value text). Excluded:
    superseded history rows (_fivetran_active = false) and stages of excluded (deleted or merged) deals, counted in
    int_hubspot_rows_accounted. Stage: int_hubspot_deal_stages_mapped (an unknown stage id stays as written). -#}
with

stage_rows as (
    select * from {{ ref('stg_hubspot__deal_stage') }}
    where is_active
),

excluded_deals as (
    select deal_id from {{ ref('stg_hubspot__deal') }}
    where is_deleted or is_merged
),

stages as (
    select * from {{ ref('int_hubspot_deal_stages_mapped') }}
),

final as (
    select
        cast(stage_rows.deal_id || '-' || stage_rows.fivetran_start as varchar) as stage_history_id,
        cast(stage_rows.deal_id as varchar) as opportunity_id,
        cast(coalesce(stages.contract_stage, stage_rows.stage_id) as varchar) as stage,  -- noqa: RF04
        cast(null as varchar) as amount,
        strftime(cast(stage_rows.date_entered as timestamp), '%Y-%m-%dT%H:%M:%SZ') as entered_at
    from stage_rows
    left join stages on stage_rows.stage_id = stages.stage_id
    where stage_rows.deal_id not in (select excluded_deals.deal_id from excluded_deals)
)

select * from final
