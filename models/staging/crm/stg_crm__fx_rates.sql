with

base_fx_rates as (
    select * from {{ ref('base_crm__fx_rates') }}
),

latest_versions as (
    -- One row per rate_date, currency: exact duplicates collapsed, superseded versions left to quarantine.
    select * from base_fx_rates
    where _dup_rank = 1 and _key_rank = 1
),

final as (
    select
        rate_date,
        currency,
        rate_to_usd,
        _row_number,
        _invalid_columns,
        _invalid_values
    from latest_versions
)

select * from final
