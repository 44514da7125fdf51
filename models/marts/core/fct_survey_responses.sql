-- One row per valid survey answer (NPS, CSAT, CES) with the NPS class and the CSAT top-two-box flag.
with survey_responses as (
    select * from {{ ref('int_survey_responses_validated') }}
    where is_valid
),

final as (
    select
        response_id,
        account_id,
        contact_id,
        ticket_id,
        survey_type,
        cast(score as double) as score,
        cast(scale_min as {{ dbt.type_int() }}) as scale_min,
        cast(scale_max as {{ dbt.type_int() }}) as scale_max,
        responded_at,
        cast({{ dbt.date_trunc('month', 'responded_at') }} as date) as response_month,
        case
            when survey_type <> 'nps' then null
            when score >= 9 then 'promoter'
            when score >= 7 then 'passive'
            else 'detractor'
        end as nps_class,
        -- Top two boxes of the stated scale: 4-5 on the usual 1-5 scale.
        case when survey_type = 'csat' then score >= scale_max - 1 end as is_csat_satisfied,
        comment
    from survey_responses
)

select * from final
