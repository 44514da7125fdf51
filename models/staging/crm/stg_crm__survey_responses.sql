with

base_survey_responses as (
    select * from {{ ref('base_crm__survey_responses') }}
),

latest_versions as (
    -- One row per response_id: exact duplicates collapsed, superseded versions left to quarantine.
    select * from base_survey_responses
    where _dup_rank = 1 and _key_rank = 1
),

final as (
    select
        response_id,
        account_id,
        contact_id,
        ticket_id,
        survey_type,
        score,
        scale_min,
        scale_max,
        responded_at,
        comment,
        _row_number,
        _invalid_columns,
        _invalid_values
    from latest_versions
)

select * from final
