with

source_deal as (
    select * from {{ crm_source_read('hubspot', 'deal') }}
),

merged_away as (
    select distinct trim(merged_deal_id) as merged_deal_id
    from {{ crm_source_read('hubspot', 'merged_deal') }}
),

final as (
    select
        trim(source_deal.deal_id) as deal_id,
        coalesce(lower(trim(source_deal.is_deleted)) = 'true', false) as is_deleted,
        merged_away.merged_deal_id is not null as is_merged,
        nullif(trim(source_deal.deal_pipeline_id), '') as deal_pipeline_id,
        nullif(trim(source_deal.deal_pipeline_stage_id), '') as deal_pipeline_stage_id,
        nullif(trim(source_deal.owner_id), '') as owner_id,
        nullif(trim(source_deal.property_amount), '') as amount,
        nullif(trim(source_deal.property_closedate), '') as close_date,
        nullif(trim(source_deal.property_createdate), '') as created_at,
        lower(nullif(trim(source_deal.property_dealtype), '')) as deal_type,
        upper(nullif(trim(source_deal.property_deal_currency_code), '')) as currency,
        lower(nullif(trim(source_deal.property_closed_lost_reason), '')) as loss_reason,
        nullif(trim(source_deal.property_hs_next_step), '') as next_step,
        nullif(trim(source_deal.property_hs_lastmodifieddate), '') as updated_at
    from source_deal
    left join merged_away on trim(source_deal.deal_id) = merged_away.merged_deal_id
)

select * from final
