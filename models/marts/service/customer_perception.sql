{#- Customer perception per response month and account segment (long form: dimension_name / dimension_value;
    dimension_name 'all' is the total). NPS on 0-10, CSAT on 1-5, CES on 1-7 (lower = easier; var ces_higher_is_easier
    flips a survey asked the other way, macro ces_effort_score); answers stored on another scale are rescaled
    linearly onto these reference scales. -#}
{%- set segment_columns = ['tier', 'region', 'industry', 'size_band'] -%}

with survey_responses as (
    select * from {{ ref('fct_survey_responses') }}
),

accounts as (
    select * from {{ ref('dim_accounts') }}
),

responses as (
    select
        survey_responses.response_id,
        survey_responses.response_month as month_start,
        {%- for column in segment_columns %}
            coalesce(cast(accounts.{{ column }} as {{ dbt.type_string() }}), 'unknown') as {{ column }},
        {%- endfor %}
        survey_responses.survey_type,
        survey_responses.nps_class,
        survey_responses.is_csat_satisfied,
        case
            when survey_responses.survey_type = 'csat'
                then {{ rescaled_score('survey_responses.score', 'survey_responses.scale_min',
                    'survey_responses.scale_max', 1, 5) }}
        end as csat_score,
        case
            when survey_responses.survey_type = 'ces'
                then {{ ces_effort_score('survey_responses.score', 'survey_responses.scale_min',
                    'survey_responses.scale_max', 1, 7) }}
        end as ces_score
    from survey_responses
    left join accounts
        on survey_responses.account_id = accounts.account_id
),

responses_by_segment as (
    select
        *,
        'all' as dimension_name,
        'all' as dimension_value
    from responses
    {%- for column in segment_columns %}
        union all
        select
            *,
            '{{ column }}' as dimension_name,
            {{ column }} as dimension_value
        from responses
    {%- endfor %}
),

perception as (
    select
        month_start,
        dimension_name,
        dimension_value,
        count(*) as responses,
        count(nps_class) as nps_responses,
        sum(case when nps_class = 'promoter' then 1 else 0 end) as promoters_raw,
        sum(case when nps_class = 'passive' then 1 else 0 end) as passives_raw,
        sum(case when nps_class = 'detractor' then 1 else 0 end) as detractors_raw,
        {{ nps('nps_class') }} as nps,
        count(csat_score) as csat_responses,
        cast(avg(csat_score) as double) as csat_mean,
        {{ share_true('is_csat_satisfied') }} as csat_satisfied_share,
        count(ces_score) as ces_responses,
        cast(avg(ces_score) as double) as ces_mean
    from responses_by_segment
    group by 1, 2, 3
),

final as (
    select
        month_start,
        dimension_name,
        dimension_value,
        cast(responses as bigint) as responses,
        cast(nps_responses as bigint) as nps_responses,
        cast(promoters_raw as bigint) as promoters,
        cast(passives_raw as bigint) as passives,
        cast(detractors_raw as bigint) as detractors,
        cast(nps as double) as nps,
        cast(csat_responses as bigint) as csat_responses,
        csat_mean,
        csat_satisfied_share,
        cast(ces_responses as bigint) as ces_responses,
        ces_mean
    from perception
)

select * from final
