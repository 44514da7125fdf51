with

base_campaigns as (
    select * from {{ ref('base_crm__campaigns') }}
),

latest_versions as (
    -- One row per campaign_id: exact duplicates collapsed, superseded versions left to quarantine.
    select * from base_campaigns
    where _dup_rank = 1 and _key_rank = 1
),

final as (
    select
        campaign_id,
        campaign_name,
        channel,
        start_date,
        end_date,
        budget,
        currency,
        _row_number,
        _invalid_columns,
        _invalid_values
    from latest_versions
)

select * from final
