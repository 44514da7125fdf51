with

base_opportunity_stage_history as (
    select * from {{ ref('base_crm__opportunity_stage_history') }}
),

latest_versions as (
    -- One row per stage_history_id: exact duplicates collapsed, superseded versions left to quarantine.
    select * from base_opportunity_stage_history
    where _dup_rank = 1 and _key_rank = 1
),

final as (
    select
        stage_history_id,
        opportunity_id,
        stage,
        amount,
        entered_at,
        _row_number,
        _invalid_columns,
        _invalid_values
    from latest_versions
)

select * from final
