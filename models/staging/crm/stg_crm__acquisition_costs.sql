with

base_acquisition_costs as (
    select * from {{ ref('base_crm__acquisition_costs') }}
),

latest_versions as (
    -- One row per cost_id: exact duplicates collapsed, superseded versions left to quarantine.
    select * from base_acquisition_costs
    where _dup_rank = 1 and _key_rank = 1
),

final as (
    select
        cost_id,
        cost_month,
        channel,
        campaign_id,
        category,
        amount,
        currency,
        _row_number,
        _invalid_columns,
        _invalid_values
    from latest_versions
)

select * from final
