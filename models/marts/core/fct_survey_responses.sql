-- One row per valid survey answer (NPS, CSAT, CES) with the NPS class and the CSAT top-two-box flag.
-- NPS classes are defined on the 0-10 question; an answer stored on another scale (0-5, 1-5, ...) is rescaled to
-- 0-10 first: 10 x (score - scale_min) / (scale_max - scale_min). So 5 on 0-5 is a promoter (10), 4 a passive (8),
-- 3 a detractor (6); without rescaling every answer of a 0-5 survey would count as a detractor.
with survey_responses as (
    select * from {{ ref('int_survey_responses_validated') }}
    where is_valid
),

rescaled as (
    select
        *,
        case
            when survey_type = 'nps'
                then {{ rescaled_score('score', 'scale_min', 'scale_max', 0, 10) }}
        end as nps_score_0_10
    from survey_responses
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
            when nps_score_0_10 >= 9 then 'promoter'
            when nps_score_0_10 >= 7 then 'passive'
            when nps_score_0_10 >= 0 then 'detractor'
        end as nps_class,
        -- Top two boxes of the stated scale: 4-5 on the usual 1-5 scale.
        case when survey_type = 'csat' then score >= scale_max - 1 end as is_csat_satisfied,
        comment
    from rescaled
)

select * from final
