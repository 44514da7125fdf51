with

base_opportunities as (
    select * from {{ ref('base_crm__opportunities') }}
),

latest_versions as (
    -- One row per opportunity_id: exact duplicates collapsed, superseded versions left to quarantine.
    select * from base_opportunities
    where _dup_rank = 1 and _key_rank = 1
),

final as (
    select
        opportunity_id,
        account_id,
        owner_user_id,
        lead_id,
        campaign_id,
        opportunity_type,
        product_id,
        amount,
        currency,
        stage,
        probability,
        is_closed,
        is_won,
        loss_reason,
        next_step,
        close_date,
        created_by_user_id,
        created_at,
        updated_at,
        _row_number,
        _invalid_columns,
        _invalid_values
    from latest_versions
)

select * from final
