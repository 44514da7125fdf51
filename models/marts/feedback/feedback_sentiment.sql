{#- Sentiment of the feedback per account and month: the account's survey comments and ticket texts (subject +
    description) scored by VADER (int_feedback_texts_scored; crm_warehouse.analytics.sentiment), texts VADER
    cannot read counted as unscored, beside the month's NPS answers. Grain: an account and a month with a
    comment, a ticket or an NPS answer (texts without account are left out here, kept in the correlation). -#}
with texts as (
    select * from {{ ref('int_feedback_texts_scored') }}
    where account_id is not null
),

surveys as (
    select * from {{ ref('fct_survey_responses') }}
    where account_id is not null
),

accounts as (
    select * from {{ ref('dim_accounts') }}
),

comment_totals as (
    select
        account_id,
        month_start,
        count(*) as survey_comments,
        count(case when is_scored then 1 end) as scored_comments,
        count(case when not is_scored then 1 end) as unscored_comments,
        avg(compound) as comment_sentiment_mean,
        count(case when sentiment_label = 'positive' then 1 end) as positive_comments,
        count(case when sentiment_label = 'neutral' then 1 end) as neutral_comments,
        count(case when sentiment_label = 'negative' then 1 end) as negative_comments
    from texts
    where text_source = 'survey_comment'
    group by 1, 2
),

ticket_totals as (
    select
        account_id,
        month_start,
        count(*) as ticket_texts,
        count(case when is_scored then 1 end) as scored_tickets,
        count(case when not is_scored then 1 end) as unscored_tickets,
        avg(compound) as ticket_sentiment_mean,
        count(case when sentiment_label = 'negative' then 1 end) as negative_tickets
    from texts
    where text_source = 'ticket'
    group by 1, 2
),

pooled as (
    select
        account_id,
        month_start,
        count(case when is_scored then 1 end) as scored_texts,
        avg(compound) as feedback_sentiment_mean
    from texts
    group by 1, 2
),

nps_answers as (
    select
        account_id,
        response_month as month_start,
        count(*) as nps_responses,
        avg(score) as nps_score_mean,
        {{ nps() }} as nps
    from surveys
    where survey_type = 'nps'
    group by 1, 2
),

account_months as (
    select
        account_id,
        month_start
    from texts
    union
    select
        account_id,
        month_start
    from nps_answers
),

final as (
    select
        account_months.account_id,
        accounts.account_name,
        accounts.tier as account_tier,
        accounts.region,
        accounts.owner_user_id,
        cast(account_months.month_start as date) as month_start,
        cast(coalesce(comment_totals.survey_comments, 0) as {{ dbt.type_int() }}) as survey_comments,
        cast(coalesce(comment_totals.scored_comments, 0) as {{ dbt.type_int() }}) as scored_comments,
        cast(coalesce(comment_totals.unscored_comments, 0) as {{ dbt.type_int() }}) as unscored_comments,
        cast(comment_totals.comment_sentiment_mean as double) as comment_sentiment_mean,
        cast(coalesce(comment_totals.positive_comments, 0) as {{ dbt.type_int() }}) as positive_comments,
        cast(coalesce(comment_totals.neutral_comments, 0) as {{ dbt.type_int() }}) as neutral_comments,
        cast(coalesce(comment_totals.negative_comments, 0) as {{ dbt.type_int() }}) as negative_comments,
        cast(coalesce(ticket_totals.ticket_texts, 0) as {{ dbt.type_int() }}) as ticket_texts,
        cast(coalesce(ticket_totals.scored_tickets, 0) as {{ dbt.type_int() }}) as scored_tickets,
        cast(coalesce(ticket_totals.unscored_tickets, 0) as {{ dbt.type_int() }}) as unscored_tickets,
        cast(ticket_totals.ticket_sentiment_mean as double) as ticket_sentiment_mean,
        cast(coalesce(ticket_totals.negative_tickets, 0) as {{ dbt.type_int() }}) as negative_tickets,
        cast(coalesce(pooled.scored_texts, 0) as {{ dbt.type_int() }}) as scored_texts,
        cast(pooled.feedback_sentiment_mean as double) as feedback_sentiment_mean,
        cast(coalesce(nps_answers.nps_responses, 0) as {{ dbt.type_int() }}) as nps_responses,
        cast(nps_answers.nps_score_mean as double) as nps_score_mean,
        cast(nps_answers.nps as double) as nps
    from account_months
    left join accounts
        on account_months.account_id = accounts.account_id
    left join comment_totals
        on
            account_months.account_id = comment_totals.account_id
            and account_months.month_start = comment_totals.month_start
    left join ticket_totals
        on
            account_months.account_id = ticket_totals.account_id
            and account_months.month_start = ticket_totals.month_start
    left join pooled
        on
            account_months.account_id = pooled.account_id
            and account_months.month_start = pooled.month_start
    left join nps_answers
        on
            account_months.account_id = nps_answers.account_id
            and account_months.month_start = nps_answers.month_start
)

select * from final
