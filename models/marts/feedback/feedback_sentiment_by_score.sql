{#- Survey comments' VADER sentiment by the answer's score, per survey type (nps 0-10, csat 1-5, ces 1-7, where a
    higher CES means more effort): how the comments' tone follows the score. Unscored comments (no word VADER
    knows, e.g. another language) are counted, not averaged. -#}
with texts as (
    select * from {{ ref('int_feedback_texts_scored') }}
    where text_source = 'survey_comment'
),

final as (
    select
        survey_type,
        cast(score as double) as score,
        cast(count(*) as {{ dbt.type_int() }}) as survey_comments,
        cast(count(case when is_scored then 1 end) as {{ dbt.type_int() }}) as scored_comments,
        cast(count(case when not is_scored then 1 end) as {{ dbt.type_int() }}) as unscored_comments,
        cast(avg(compound) as double) as comment_sentiment_mean,
        cast(count(case when sentiment_label = 'positive' then 1 end) as {{ dbt.type_int() }}) as positive_comments,
        cast(count(case when sentiment_label = 'neutral' then 1 end) as {{ dbt.type_int() }}) as neutral_comments,
        cast(count(case when sentiment_label = 'negative' then 1 end) as {{ dbt.type_int() }}) as negative_comments
    from texts
    group by 1, 2
)

select * from final
