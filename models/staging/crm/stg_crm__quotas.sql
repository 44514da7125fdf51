with

base_quotas as (
    select * from {{ ref('base_crm__quotas') }}
),

latest_versions as (
    -- One row per quota_id: exact duplicates collapsed, superseded versions left to quarantine.
    select * from base_quotas
    where _dup_rank = 1 and _key_rank = 1
),

final as (
    select
        quota_id,
        user_id,
        period_month,
        quota_amount,
        currency,
        _row_number,
        _invalid_columns,
        _invalid_values
    from latest_versions
)

select * from final
