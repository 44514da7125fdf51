{#- Does the comments' sentiment follow the score? Per survey type, the Pearson correlation of the VADER compound
    sentiment of its scored comments with the answer's score (nps 0-10, csat 1-5: expected positive; ces 1-7, higher
    = more effort: expected negative). Unscored comments are counted and left out of the correlation. -#}
with texts as (
    select * from {{ ref('int_feedback_texts_scored') }}
    where text_source = 'survey_comment'
),

final as (
    select
        survey_type,
        case when survey_type = 'ces' then 'negative' else 'positive' end as expected_direction,
        cast(count(*) as {{ dbt.type_int() }}) as survey_comments,
        cast(count(case when is_scored then 1 end) as {{ dbt.type_int() }}) as scored_comments,
        cast(count(case when not is_scored then 1 end) as {{ dbt.type_int() }}) as unscored_comments,
        -- undefined (null, not NaN) when the scored comments' sentiment or score does not vary
        cast(case
            when
                stddev_samp(case when is_scored then compound end) > 0
                and stddev_samp(case when is_scored then score end) > 0
                then corr(case when is_scored then compound end, case when is_scored then score end)
        end as double) as sentiment_score_correlation,
        cast(avg(compound) as double) as comment_sentiment_mean,
        cast(avg(case when is_scored then score end) as double) as scored_comment_score_mean
    from texts
    group by 1, 2
)

select * from final
